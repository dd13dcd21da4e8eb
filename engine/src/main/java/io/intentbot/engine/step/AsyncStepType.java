package io.intentbot.engine.step;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A step type that can wait without holding a thread (a timer, a poll). The engine calls {@link
 * #executeAsync} instead of {@link #execute}; the future completes with the same result {@code
 * execute} would return.
 *
 * <p>Contract: cancelling the returned future stops the step (cancellation and timeouts do that);
 * the future never completes exceptionally for an expected failure (return a failed result); work
 * that blocks goes elsewhere, never on {@code scheduler}.
 */
public interface AsyncStepType extends StepType {

  CompletableFuture<StepResult> executeAsync(
      StepInput input, StepContext context, ScheduledExecutorService scheduler);
}
