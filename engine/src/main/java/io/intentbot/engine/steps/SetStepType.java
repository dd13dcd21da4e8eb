package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code type: set}: each entry of {@code with:} becomes an output of the same name, e.g. {@code
 * with: { version: "${{ params.version }}" }} gives {@code steps.<id>.outputs.version}. Pure: the
 * planner runs it during a dry run.
 */
public final class SetStepType implements StepType {

  public static final String NAME = "set";

  private final JsonNode schema = WithSchemas.load(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Set outputs from expressions: each with: entry becomes an output of the same name";
  }

  @Override
  public JsonNode withSchema() {
    return schema.deepCopy();
  }

  @Override
  public boolean pure() {
    return true;
  }

  @Override
  public StepPlan plan(StepInput input, StepContext context) {
    if (input.values().isEmpty()) {
      return StepPlan.of("would set no outputs");
    }
    return StepPlan.of(
        "would set " + String.join(", ", input.values().keySet()), assignments(input));
  }

  @Override
  public StepResult execute(StepInput input, StepContext context) {
    assignments(input).forEach(context.output()::line);
    return StepResult.succeeded(input.values());
  }

  private static List<String> assignments(StepInput input) {
    List<String> lines = new ArrayList<>();
    input.values().forEach((name, value) -> lines.add(name + " = " + value));
    return lines;
  }
}
