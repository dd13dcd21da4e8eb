package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import java.util.Map;

/**
 * {@code type: assert}: stops the run with a message unless a condition holds.
 *
 * <pre>
 * - id: version_exists
 *   type: assert
 *   with:
 *     that: "${{ steps.history.outputs.revisions.exists(r, r.image.endsWith(':' + params.version)) }}"
 *     message: "version ${{ params.version }} was never deployed; nothing changed"
 * </pre>
 *
 * <p>Pure: when the condition is known before the run (it reads parameters, config or the outputs
 * of other pure steps) a false one makes {@link #plan} reject the input, so the run is refused with
 * the message before any step runs and before anyone is asked to approve it. Output: {@code held}.
 */
public final class AssertStepType implements StepType {

  public static final String NAME = "assert";

  private final JsonNode schema = WithSchemas.load(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Stop the run with a message unless a condition holds (checked before the run when"
        + " it can be)";
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
    Object that = input.raw("that");
    boolean known =
        that instanceof Boolean
            || "true".equalsIgnoreCase(String.valueOf(that).trim())
            || "false".equalsIgnoreCase(String.valueOf(that).trim());
    if (!known) {
      return StepPlan.of("would stop the run if the check fails: " + input.string("message"));
    }
    if (!holds(input)) {
      throw new IllegalArgumentException(input.string("message"));
    }
    return StepPlan.of(
        "check passed (it would stop the run otherwise: " + input.string("message") + ")");
  }

  @Override
  public StepResult execute(StepInput input, StepContext context) {
    boolean held;
    try {
      held = holds(input);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
    if (!held) {
      return StepResult.failed(input.string("message"), Map.of("held", false));
    }
    context.output().line("ok");
    return StepResult.succeeded(Map.of("held", true));
  }

  private static boolean holds(StepInput input) {
    if (!input.has("that")) {
      throw new IllegalArgumentException("'that' is required: a condition that is true or false");
    }
    return input.bool("that", false);
  }
}
