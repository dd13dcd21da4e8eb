package io.intentbot.kubernetes;

import io.intentbot.engine.step.StepContext;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every Kubernetes step type is built with: the clients per environment, the resilience around
 * each API call, the clock deadlines and ages are read from (null: the step context's, that is the
 * engine's), the threads blocking cluster calls run on while a step waits asynchronously, and the
 * timer a waiting step uses when it is called synchronously ({@link
 * io.intentbot.engine.step.StepType#execute}, e.g. by the planner).
 *
 * <pre>{@code
 * ClusterAccess access = ClusterAccess.of(clients, new ResilientCalls(settings));
 * new RolloutStatusStepType(access);
 * }</pre>
 *
 * Tests pass their own clock, a direct executor and a virtual-time scheduler so that nothing
 * sleeps.
 *
 * @param clock the clock of every step, or null for {@link StepContext#clock()}
 * @param callThreads where blocking cluster calls of asynchronous steps run; never the engine's
 *     scheduler
 * @param timer the scheduler of waits when a polling step is executed synchronously
 */
public record ClusterAccess(
    KubernetesClients clients,
    ResilientCalls calls,
    Clock clock,
    Executor callThreads,
    ScheduledExecutorService timer) {

  /**
   * The step context's clock, shared daemon call threads (ending when idle) and one shared daemon
   * timer thread.
   */
  public static ClusterAccess of(KubernetesClients clients, ResilientCalls calls) {
    return new ClusterAccess(clients, calls, null, SharedThreads.CALLS, SharedThreads.TIMER);
  }

  /** The clock a step reads: this access's, else the context's (the engine's). */
  public Clock clock(StepContext context) {
    return clock != null ? clock : context.clock();
  }

  /** The cluster one step acts on: the run's client and the step's namespace. */
  public Cluster cluster(Namespaced input, StepContext context) {
    return new Cluster(
        clients.client(context), calls, KubernetesClients.namespace(input.namespace(), context));
  }

  /**
   * The cluster an undo acts on: as {@link #cluster}, with the API calls guarded by the {@link
   * ResilientCalls#recovery} breakers.
   */
  public Cluster recoveryCluster(Namespaced input, StepContext context) {
    return new Cluster(
        clients.client(context),
        calls.recovery(),
        KubernetesClients.namespace(input.namespace(), context));
  }

  /**
   * Whether an exception is an expected failure of a cluster step, failing it with its message: a
   * cluster error, or an input the schema let through but the step cannot use.
   */
  public static boolean failsTheStep(RuntimeException e) {
    return e instanceof ClusterAccessException || e instanceof IllegalArgumentException;
  }

  /** A poll for one execution of a step, on {@code scheduler}, with the step in the log context. */
  public AsyncPoll poll(ScheduledExecutorService scheduler, StepContext context) {
    return new AsyncPoll(
        scheduler,
        callThreads,
        clock(context),
        Map.of("run_id", context.runId(), "step_id", context.stepId()));
  }

  private static final class SharedThreads {
    static final ThreadPoolExecutor CALLS =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemons("intentbot-k8s-call-"));
    static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(1, daemons("intentbot-k8s-timer-"));
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }

    private static ThreadFactory daemons(String prefix) {
      AtomicInteger count = new AtomicInteger();
      return task -> {
        Thread thread = new Thread(task, prefix + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
