package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code type: wait}: waits for {@code duration} (e.g. {@code 30s}), writing {@code message} (or
 * "waiting 30s") as one line. Cancellation ends the wait at once. No outputs.
 */
public final class WaitStepType implements AsyncStepType {

  public static final String NAME = "wait";

  private final JsonNode schema = WithSchemas.load(NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Wait for a duration, e.g. to let a change settle";
  }

  @Override
  public JsonNode withSchema() {
    return schema.deepCopy();
  }

  @Override
  public StepPlan plan(StepInput input, StepContext context) {
    Duration duration = duration(input);
    return StepPlan.of(
        "would wait " + Durations.format(duration),
        input.optionalString("message").map(List::of).orElse(List.of()));
  }

  @Override
  public StepResult execute(StepInput input, StepContext context) {
    Duration duration;
    try {
      duration = duration(input);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
    String waiting = "waiting " + Durations.format(duration);
    context
        .output()
        .line(input.optionalString("message").map(m -> m + " (" + waiting + ")").orElse(waiting));
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      return Cancellation.cancelled("the wait was interrupted");
    }
    return StepResult.succeeded();
  }

  /** Waits on the engine's timer: a waiting run holds no thread. */
  @Override
  public CompletableFuture<StepResult> executeAsync(
      StepInput input, StepContext context, ScheduledExecutorService scheduler) {
    Duration duration;
    try {
      duration = duration(input);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(StepResult.failed(e.getMessage()));
    }
    String waiting = "waiting " + Durations.format(duration);
    context
        .output()
        .line(input.optionalString("message").map(m -> m + " (" + waiting + ")").orElse(waiting));
    CompletableFuture<StepResult> done = new CompletableFuture<>();
    ScheduledFuture<?> timer =
        scheduler.schedule(
            () -> done.complete(StepResult.succeeded()), duration.toNanos(), TimeUnit.NANOSECONDS);
    done.whenComplete(
        (result, error) -> {
          if (done.isCancelled()) {
            timer.cancel(false);
          }
        });
    return done;
  }

  private static Duration duration(StepInput input) {
    if (!input.has("duration")) {
      throw new IllegalArgumentException("'duration' is required");
    }
    Duration duration = input.duration("duration", Duration.ZERO);
    if (duration.isNegative()) {
      throw new IllegalArgumentException("'duration' must not be negative");
    }
    return duration;
  }
}
