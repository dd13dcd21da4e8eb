package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Runs blocking work that does not answer thread interruption (JDBC, Flyway) on a worker thread, so
 * that the step's own thread can be interrupted. The worker itself is never interrupted: embedded
 * databases close their files when a thread doing I/O is interrupted. Instead the caller gives a
 * cancel action (e.g. {@code Statement.cancel()}) that makes the work stop early.
 */
final class InterruptibleCall {

  private InterruptibleCall() {}

  /**
   * Runs {@code work} and returns its result. When the calling thread is interrupted, runs {@code
   * cancel}, waits up to {@code grace} for the work to stop and throws {@link
   * InterruptedException}.
   */
  static <T> T call(String name, Callable<T> work, Runnable cancel, Duration grace)
      throws InterruptedException, ExecutionException {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              if (mdc != null) {
                MDC.setContextMap(mdc);
              }
              return work.call();
            });
    Thread worker = new Thread(task, name);
    worker.setDaemon(true);
    worker.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      cancel.run();
      try {
        task.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
        // stopped, failed or still running: the caller reports the cancellation either way
      }
      throw e;
    }
  }

  /**
   * Runs a step's blocking work with {@link #call} and makes every outcome a result: the work's
   * own, {@code cancelled} when the step's thread is interrupted, or a failure whose reason {@code
   * failure} makes of what the work threw.
   */
  static StepResult step(
      String name,
      Callable<StepResult> work,
      Runnable cancel,
      Duration grace,
      Supplier<StepResult> cancelled,
      Function<Throwable, String> failure) {
    try {
      return call(name, work, cancel, grace);
    } catch (InterruptedException e) {
      return cancelled.get();
    } catch (ExecutionException e) {
      return StepResult.failed(failure.apply(e.getCause()));
    }
  }

  /** The message of an expected failure, or the whole exception for any other. */
  @SafeVarargs
  static String describe(Throwable cause, Class<? extends Throwable>... expected) {
    for (Class<? extends Throwable> type : expected) {
      if (type.isInstance(cause)) {
        return cause.getMessage();
      }
    }
    return String.valueOf(cause);
  }
}
