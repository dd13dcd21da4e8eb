package io.intentbot.kubernetes;

import io.intentbot.engine.step.AsyncTypedStepType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Base of the Kubernetes step types that wait for the cluster (a rollout, a Velero phase, a
 * snapshot), as {@link KubernetesStepType} is for the others: {@link #start} describes the work as
 * futures of one {@link AsyncPoll}, so a waiting step holds no thread. The engine calls {@code
 * executeAsync} with its scheduler; cancelling the future it returns cancels the poll. {@code
 * execute} (the planner, a synchronous caller) runs the same work on {@link ClusterAccess#timer()}
 * and waits for it.
 *
 * @param <I> the {@code with:} record
 */
public abstract class PollingStepType<I extends Record & Namespaced> extends AsyncTypedStepType<I> {

  private final ClusterAccess access;

  protected PollingStepType(
      String name, String description, Class<I> inputType, ClusterAccess access) {
    this(name, description, inputType, Purity.IMPURE, access);
  }

  /** A step type that only reads ({@link Purity#PURE}) or changes things. */
  protected PollingStepType(
      String name, String description, Class<I> inputType, Purity purity, ClusterAccess access) {
    super(name, description, inputType, purity);
    this.access = access;
  }

  /**
   * Starts the step. Blocking work (any cluster call) goes into {@link AsyncPoll#call} or {@link
   * AsyncPoll#until}, never into this method or into a stage it chains. A future that fails with a
   * {@link ClusterAccessException} or {@link IllegalArgumentException} fails the step with its
   * message.
   */
  protected abstract CompletableFuture<StepResult> start(
      I input, StepContext context, Cluster cluster, AsyncPoll poll);

  protected abstract StepPlan plan(I input, StepContext context, Cluster cluster);

  @Override
  protected final StepPlan plan(I input, StepContext context) {
    return plan(input, context, access.cluster(input, context));
  }

  @Override
  protected final CompletableFuture<StepResult> executeAsync(
      I input, StepContext context, ScheduledExecutorService scheduler) {
    AsyncPoll poll = access.poll(scheduler, context);
    CompletableFuture<StepResult> result = new CompletableFuture<>();
    poll.call(() -> access.cluster(input, context))
        .thenCompose(cluster -> start(input, context, cluster, poll))
        .whenComplete(
            (done, error) -> {
              Throwable cause = error == null ? null : AsyncPoll.cause(error);
              if (error == null) {
                result.complete(done);
              } else if (cause instanceof RuntimeException e && failsTheStep(e)) {
                result.complete(StepResult.failed(e.getMessage()));
              } else if (cause instanceof CancellationException) {
                result.cancel(false);
              } else {
                result.completeExceptionally(cause);
              }
            });
    result.whenComplete(
        (done, error) -> {
          if (result.isCancelled()) {
            poll.cancel();
          }
        });
    return result;
  }

  @Override
  protected final StepResult execute(I input, StepContext context) throws InterruptedException {
    AsyncPoll poll = access.poll(access.timer(), context);
    CompletableFuture<StepResult> running =
        start(input, context, access.cluster(input, context), poll);
    try {
      return running.get();
    } catch (InterruptedException e) {
      poll.cancel();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = AsyncPoll.cause(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  protected final boolean failsTheStep(RuntimeException e) {
    return ClusterAccess.failsTheStep(e);
  }
}
