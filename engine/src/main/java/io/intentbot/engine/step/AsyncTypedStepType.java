package io.intentbot.engine.step;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link TypedStepType} that waits without holding a thread (a timer, a poll): the engine calls
 * {@link #executeAsync(StepInput, StepContext, ScheduledExecutorService)}, which binds the input as
 * the base does and hands the record to {@link #executeAsync(Record, StepContext,
 * ScheduledExecutorService)}. The synchronous {@link #execute(Record, StepContext)} stays for
 * callers without a scheduler and must give the same result.
 *
 * <p>An invalid input or an expected failure ({@link #failsTheStep}) thrown before the future is
 * returned completes it with a failed result; the future itself follows {@link AsyncStepType}'s
 * contract.
 */
public abstract class AsyncTypedStepType<I extends Record> extends TypedStepType<I>
    implements AsyncStepType {

  protected AsyncTypedStepType(String name, String description, Class<I> inputType, Purity purity) {
    super(name, description, inputType, purity);
  }

  /** An {@link Purity#IMPURE} step type. */
  protected AsyncTypedStepType(String name, String description, Class<I> inputType) {
    super(name, description, inputType);
  }

  @Override
  public final CompletableFuture<StepResult> executeAsync(
      StepInput input, StepContext context, ScheduledExecutorService scheduler) {
    I typed;
    try {
      typed = bind(input);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(StepResult.failed(e.getMessage()));
    }
    try {
      return executeAsync(typed, context, scheduler);
    } catch (RuntimeException e) {
      try {
        return CompletableFuture.completedFuture(failure(e));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return CompletableFuture.failedFuture(interrupted);
      }
    }
  }

  /** Starts the step on {@code scheduler}; see {@link AsyncStepType#executeAsync}. */
  protected abstract CompletableFuture<StepResult> executeAsync(
      I input, StepContext context, ScheduledExecutorService scheduler);
}
