package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code type: set}: each entry of {@code with:} becomes an output of the same name, e.g. {@code
 * with: { version: "${{ params.version }}" }} gives {@code steps.<id>.outputs.version}. Pure: the
 * planner runs it during a dry run.
 */
public final class SetStepType extends TypedStepType<SetStepType.Assignments> {

  public static final String NAME = "set";

  /** The whole {@code with:} block, as given: output names to values, in order. */
  record Assignments(StepInput input) {
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      input.values().forEach((name, value) -> lines.add(name + " = " + value));
      return lines;
    }
  }

  public SetStepType() {
    super(
        NAME,
        "Set outputs from expressions: each with: entry becomes an output of the same name",
        Assignments.class,
        Purity.INSTANT);
  }

  @Override
  protected StepPlan plan(Assignments with, StepContext context) {
    if (with.input().values().isEmpty()) {
      return StepPlan.of("would set no outputs");
    }
    return StepPlan.of(
        "would set " + String.join(", ", with.input().values().keySet()), with.lines());
  }

  @Override
  protected StepResult execute(Assignments with, StepContext context) {
    with.lines().forEach(context.output()::line);
    return StepResult.succeeded(with.input().values());
  }
}
