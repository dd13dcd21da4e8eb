package io.intentbot.engine.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.intentbot.engine.definition.RetrySpec;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's retries and timeout, decorated in one order written down once: retry( timeLimiter(
 * attempt ) ). Each attempt gets the full timeout; a timed-out attempt counts as a failed one; a
 * failed result is retried with exponential backoff up to the step's attempts, unless the run is
 * being cancelled. Waits are scheduled on the given scheduler (the seam tests drive), never slept.
 */
final class StepAttempts {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");

  private final ScheduledExecutorService scheduler;

  StepAttempts(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** How a decorated step ended: its result and how many attempts it took. */
  record Attempted(StepResult result, int attempts) {}

  /**
   * Runs {@code attempt} with {@code retry} and {@code timeout} (null: none) for the step {@code
   * stepId} of type {@code typeName}. Never completes exceptionally: failures are results. {@code
   * note} receives the "trying again" lines.
   */
  CompletableFuture<Attempted> run(
      RunState state,
      String stepId,
      String typeName,
      RetrySpec retry,
      Duration timeout,
      Supplier<CompletableFuture<StepResult>> attempt,
      Consumer<String> note) {
    AtomicInteger attempts = new AtomicInteger();
    if (retry.attempts() <= 1) {
      // One attempt: nothing to retry, so no Retry to build for it (most steps).
      CompletableFuture<StepResult> only;
      try {
        only = once(state, stepId, typeName, timeout, attempt, attempts);
      } catch (RuntimeException e) {
        only = CompletableFuture.completedFuture(couldNotRun(state, e));
      }
      return only.thenApply(result -> new Attempted(result, attempts.get()));
    }
    Retry retrying =
        Retry.of(
            state.id() + "/" + stepId,
            RetryConfig.<StepResult>custom()
                .maxAttempts(retry.attempts())
                .intervalFunction(backoff(retry))
                .retryOnResult(r -> r.failed() && !state.cancelRequested.get())
                .retryOnException(e -> false)
                .failAfterMaxAttempts(false)
                .build());
    return retrying
        .executeCompletionStage(
            scheduler,
            () ->
                once(state, stepId, typeName, timeout, attempt, attempts)
                    .thenApply(
                        result -> {
                          if (result.failed()
                              && attempts.get() < retry.attempts()
                              && !state.cancelRequested.get()) {
                            note.accept(
                                "attempt "
                                    + attempts.get()
                                    + " of "
                                    + retry.attempts()
                                    + " failed: "
                                    + result.reason()
                                    + "; trying again");
                          }
                          return result;
                        }))
        .toCompletableFuture()
        .exceptionally(e -> couldNotRun(state, e))
        .thenApply(result -> new Attempted(result, attempts.get()));
  }

  /** One attempt within its time limit: never completes exceptionally. */
  private CompletableFuture<StepResult> once(
      RunState state,
      String stepId,
      String typeName,
      Duration timeout,
      Supplier<CompletableFuture<StepResult>> attempt,
      AtomicInteger attempts) {
    attempts.incrementAndGet();
    if (state.cancelRequested.get()) {
      return CompletableFuture.completedFuture(cancelled(state));
    }
    CompletableFuture<StepResult> running = attempt.get();
    state.currentStep(running);
    if (state.cancelRequested.get()) {
      // A cancel between the check above and currentStep found no step to stop: stop it here.
      running.cancel(true);
    }
    CompletableFuture<StepResult> limited = running;
    if (timeout != null) {
      TimeLimiter limiter =
          TimeLimiter.of(
              TimeLimiterConfig.custom()
                  .timeoutDuration(timeout)
                  .cancelRunningFuture(true)
                  .build());
      limited = limiter.executeCompletionStage(scheduler, () -> running).toCompletableFuture();
    }
    return limited.handle(
        (result, error) -> {
          state.currentStep(null);
          if (error == null) {
            return result;
          }
          Throwable cause = unwrap(error);
          if (cause instanceof TimeoutException) {
            running.cancel(true);
            return StepResult.failed("timed out after " + Durations.format(timeout));
          }
          if (cause instanceof CancellationException || cause instanceof InterruptedException) {
            return cancelled(state);
          }
          LOG.warn("step {} threw", stepId, cause);
          return StepResult.failed(
              typeName
                  + " failed: "
                  + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        });
  }

  private static StepResult couldNotRun(RunState state, Throwable e) {
    return state.cancelRequested.get()
        ? cancelled(state)
        : StepResult.failed("step could not run: " + unwrap(e));
  }

  static StepResult cancelled(RunState state) {
    return StepResult.failed("cancelled by " + state.cancelledBy());
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Exponential: {@code backoff}, doubling, at most {@code maxBackoff}. */
  static IntervalFunction backoff(RetrySpec spec) {
    long first = Math.max(1, spec.backoff().toMillis());
    long max = Math.max(first, spec.maxBackoff().toMillis());
    return IntervalFunction.of(first, previous -> Math.min(previous * 2, max));
  }
}
