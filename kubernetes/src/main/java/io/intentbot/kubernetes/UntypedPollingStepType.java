package io.intentbot.kubernetes;

import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Base of the Kubernetes step types that wait for the cluster (a rollout, a Velero phase, a
 * snapshot): {@link #start} describes the work as futures of one {@link AsyncPoll}, so a waiting
 * step holds no thread. The engine calls {@link #executeAsync} with its scheduler; cancelling the
 * future it returns cancels the poll. {@link #execute} (the planner, a synchronous caller) runs the
 * same work on {@link ClusterAccess#timer()} and waits for it.
 */
public abstract class UntypedPollingStepType extends UntypedKubernetesStepType
    implements AsyncStepType {

  protected UntypedPollingStepType(ClusterAccess access, String schemaJson) {
    super(access, schemaJson);
  }

  /**
   * Starts the step. Blocking work (any cluster call) goes into {@link AsyncPoll#call} or {@link
   * AsyncPoll#until}, never into this method or into a stage it chains. A future that fails with a
   * {@link ClusterAccessException} or {@link IllegalArgumentException} fails the step with its
   * message.
   */
  protected abstract CompletableFuture<StepResult> start(
      StepInput input, StepContext context, Cluster cluster, AsyncPoll poll);

  @Override
  public final CompletableFuture<StepResult> executeAsync(
      StepInput input, StepContext context, ScheduledExecutorService scheduler) {
    AsyncPoll poll = access().poll(scheduler, context);
    CompletableFuture<StepResult> result = new CompletableFuture<>();
    poll.call(() -> access().cluster(input, context))
        .thenCompose(cluster -> start(input, context, cluster, poll))
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                result.complete(done);
                return;
              }
              Throwable cause = AsyncPoll.cause(error);
              StepResult failed = failure(cause);
              if (failed != null) {
                result.complete(failed);
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
  protected final StepResult execute(StepInput input, StepContext context, Cluster cluster)
      throws InterruptedException {
    AsyncPoll poll = access().poll(access().timer(), context);
    CompletableFuture<StepResult> running = start(input, context, cluster, poll);
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
}
