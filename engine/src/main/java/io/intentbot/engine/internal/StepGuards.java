package io.intentbot.engine.internal;

import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepType;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Whether a step may run at all: not once its run is being cancelled, not when its {@code if:} is
 * false (or fails), and in a read-only run ({@code read_only_if}) only if its type changes nothing.
 */
final class StepGuards {

  /**
   * Why a step does not run.
   *
   * @param status the status it ends with
   * @param reason why, for the record
   * @param shown whether it is recorded as started first (a failed {@code if:} is; a cancelled or
   *     skipped step is not)
   */
  record Stop(StepStatus status, String reason, boolean shown) {}

  private final Expressions expressions;

  StepGuards(Expressions expressions) {
    this.expressions = expressions;
  }

  /** Checked before the step's input is rendered. */
  Optional<Stop> before(RunState state, StepDefinition step, RunScope scope) {
    if (state.cancelRequested.get()) {
      return Optional.of(new Stop(StepStatus.CANCELLED, "run cancelled", false));
    }
    if (step.condition() == null) {
      return Optional.empty();
    }
    try {
      if (!expressions.test(step.condition(), scope.variables())) {
        return Optional.of(
            new Stop(StepStatus.SKIPPED, "if " + step.condition() + " is false", false));
      }
    } catch (ExpressionException e) {
      return Optional.of(new Stop(StepStatus.FAILED, e.getMessage(), true));
    }
    return Optional.empty();
  }

  /**
   * Checked just before a step runs: the files it reads (its type's {@link StepType#reads}) are
   * still those the run's plan was approved on; a file added, removed or edited since (a {@code
   * V3__*.sql} dropped into the migrations folder after the approval) fails the step before it
   * reads anything. A file that cannot be read fails it too.
   */
  static Optional<Stop> filesAsPlanned(
      RunState state, StepType type, StepInput input, StepContext context) {
    if (state.inputs == null || context.dryRun()) {
      return Optional.empty();
    }
    List<String> changes;
    try {
      changes = state.inputs.filesChangedSince(type.reads(input, context), context.intentsDir());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // the step itself reports its input
    } catch (UncheckedIOException e) {
      changes = List.of(e.getMessage());
    }
    if (changes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Stop(
            StepStatus.FAILED,
            "files changed since the plan was approved ("
                + String.join(", ", changes)
                + "); the step did not run: request the run again to see the new plan",
            true));
  }

  /** Checked once the step type is known: a read-only run runs only pure step types. */
  static Optional<Stop> readOnly(RunState state, StepType type) {
    if (!state.readOnly || type.pure()) {
      return Optional.empty();
    }
    return Optional.of(
        new Stop(
            StepStatus.FAILED,
            "the run is read-only (read_only_if: "
                + state.intent.readOnlyIf()
                + ") but "
                + type.name()
                + " can change things; the intent must skip this step then",
            false));
  }
}
