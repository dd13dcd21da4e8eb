package io.intentbot.engine.steps;

import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
public final class AssertStepType extends TypedStepType<AssertStepType.Input> {

  public static final String NAME = "assert";

  /**
   * The {@code with:} block. {@code that} is a boolean, {@code "true"}/{@code "false"}, or (in a
   * dry run) a placeholder for a value not known yet.
   */
  record Input(Object that, String message) {
    Input {
      if (that instanceof String text
          && !known(text)
          && !Expressions.hasPlaceholder(text)
          && !text.contains("${{")) {
        throw new IllegalArgumentException("'that' must be true or false, got '" + text + "'");
      }
    }

    boolean known() {
      return that instanceof Boolean || (that instanceof String text && known(text));
    }

    private static boolean known(String text) {
      return text.trim().equalsIgnoreCase("true") || text.trim().equalsIgnoreCase("false");
    }

    boolean holds() {
      if (that == null) {
        throw new IllegalArgumentException("'that' is required: a condition that is true or false");
      }
      return that instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(that).trim());
    }
  }

  public AssertStepType() {
    super(
        NAME,
        "Stop the run with a message unless a condition holds (checked before the run when"
            + " it can be)",
        Input.class,
        Purity.INSTANT);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("held"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    if (!input.known()) {
      return StepPlan.of("would stop the run if the check fails: " + input.message());
    }
    if (!input.holds()) {
      throw new IllegalArgumentException(input.message());
    }
    return StepPlan.of("check passed (it would stop the run otherwise: " + input.message() + ")");
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    if (!input.holds()) {
      return StepResult.failed(input.message(), Map.of("held", false));
    }
    context.output().line("ok");
    return StepResult.succeeded(Map.of("held", true));
  }
}
