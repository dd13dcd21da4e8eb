package io.intentbot.engine.steps;

import io.intentbot.engine.step.AsyncTypedStepType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code type: wait}: waits for {@code duration} (e.g. {@code 30s}), writing {@code message} (or
 * "waiting 30s") as one line. Cancellation ends the wait at once. No outputs.
 */
public final class WaitStepType extends AsyncTypedStepType<WaitStepType.Input> {

  public static final String NAME = "wait";

  /** The {@code with:} block; {@code message} may be null. */
  record Input(Duration duration, String message) {
    Input {
      if (duration != null && duration.isNegative()) {
        throw new IllegalArgumentException("'duration' must not be negative");
      }
    }

    String waiting() {
      String waiting = "waiting " + Durations.format(duration);
      return message == null ? waiting : message + " (" + waiting + ")";
    }
  }

  public WaitStepType() {
    super(NAME, "Wait for a duration, e.g. to let a change settle", Input.class);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of());
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    return StepPlan.of(
        "would wait " + Durations.format(input.duration()),
        input.message() == null ? List.of() : List.of(input.message()));
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    context.output().line(input.waiting());
    try {
      TimeUnit.NANOSECONDS.sleep(input.duration().toNanos());
    } catch (InterruptedException e) {
      return Cancellation.cancelled("the wait was interrupted");
    }
    return StepResult.succeeded();
  }

  /** Waits on the engine's timer: a waiting run holds no thread. */
  @Override
  protected CompletableFuture<StepResult> executeAsync(
      Input input, StepContext context, ScheduledExecutorService scheduler) {
    context.output().line(input.waiting());
    CompletableFuture<StepResult> done = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () -> done.complete(StepResult.succeeded()),
            input.duration().toNanos(),
            TimeUnit.NANOSECONDS);
    done.whenComplete(
        (result, error) -> {
          if (done.isCancelled()) {
            timer.cancel(false);
          }
        });
    return done;
  }
}
