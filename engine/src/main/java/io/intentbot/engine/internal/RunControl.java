package io.intentbot.engine.internal;

import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The runs executing in this process: starts them ({@link RunExecution}), cancels them on request
 * and on shutdown. Each active run has a future that completes when it has ended and released its
 * lock, so shutdown waits on futures rather than polling.
 */
final class RunControl {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunControl.class);

  private final IntentbotConfig config;
  private final AccessPolicy access;
  private final AuditStore audit;
  private final ApprovalGate gate;
  private final WaitingRuns waiting;
  private final Liveness liveness;
  private final Executions executions;
  private final Consumer<RunRecord> ended;
  private final Map<String, Active> active = new ConcurrentHashMap<>();

  private record Active(RunState state, CompletableFuture<RunRecord> ending) {}

  /** Makes the execution of a run; {@code onEnd} is called once, after its lock is released. */
  @FunctionalInterface
  interface Executions {
    RunExecution create(RunState state, Duration lockWait, Consumer<RunRecord> onEnd);
  }

  RunControl(
      IntentbotConfig config,
      AccessPolicy access,
      AuditStore audit,
      ApprovalGate gate,
      WaitingRuns waiting,
      Liveness liveness,
      Executions executions,
      Consumer<RunRecord> ended) {
    this.config = config;
    this.access = access;
    this.audit = audit;
    this.gate = gate;
    this.waiting = waiting;
    this.liveness = liveness;
    this.executions = executions;
    this.ended = ended;
  }

  /**
   * Claims the run for this process and starts it; {@code lockWait} bounds the wait for its lock.
   */
  void launch(RunState state, Duration lockWait) {
    audit.claimRun(state.id(), liveness.processId());
    CompletableFuture<RunRecord> ending = new CompletableFuture<>();
    active.put(state.id(), new Active(state, ending));
    executions
        .create(
            state,
            lockWait,
            done -> {
              active.remove(done.id());
              RunRecord stored = audit.findRun(done.id()).orElse(done);
              ending.complete(stored);
              ended.accept(stored);
            })
        .start();
  }

  /** Whether the run executes in this process now. */
  boolean runsHere(String runId) {
    return active.containsKey(runId);
  }

  /**
   * Cancels a waiting or running run: its requester, an approver of the environment whose approval
   * it needs, or (with {@code access:} rules) an admin; without access rules anyone may cancel runs
   * in unprotected environments. A run whose process has stopped (see {@link Liveness}) is marked
   * interrupted at once and its lock released ({@link Decision.Kind#RECOVERED}); one running in
   * another live process is refused.
   */
  Decision cancel(String runId, String user) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(new Refusal.NoSuchRun(runId), null);
    }
    RunRecord run = found.get();
    if (run.status().isTerminal()) {
      return Decision.refused(new Refusal.AlreadyFinished(runId, run.status()), run);
    }
    String envName = run.approvalEnvironment();
    EnvironmentConfig environment = envName == null ? null : config.environments().get(envName);
    boolean allowed =
        user.equals(run.requester())
            || access.isAdmin(user)
            || (environment == null && access.open())
            || (environment != null && !environment.isProtected() && access.open())
            || (environment != null && gate.mayApprove(environment.approval(), user));
    if (!allowed) {
      List<String> may = new ArrayList<>();
      List<String> groups = new ArrayList<>();
      if (environment != null) {
        may.addAll(environment.approval().approvers());
        groups.addAll(environment.approval().groups());
      }
      access.admins().stream().filter(a -> !may.contains(a)).forEach(may::add);
      return Decision.refused(
          new Refusal.MayNotCancel(runId, run.requester(), new Approvers(may, groups)), run);
    }
    if (run.status() == RunStatus.WAITING_APPROVAL) {
      return waiting.end(
          run,
          RunStatus.CANCELLED,
          "cancelled by " + user,
          ended -> Decision.Accepted.of(Decision.Kind.CANCELLED, ended, user));
    }
    Active here = active.get(runId);
    if (here == null) {
      return liveness
          .recoverIfStopped(runId)
          .<Decision>map(ended -> Decision.Accepted.of(Decision.Kind.RECOVERED, ended, user))
          .orElseGet(
              () -> Decision.refused(new Refusal.InAnotherProcess(runId, run.status()), run));
    }
    here.state().cancel(user);
    return Decision.Accepted.of(
        run.status() == RunStatus.PENDING
            ? Decision.Kind.CANCELLING_PENDING
            : Decision.Kind.CANCELLING_RUNNING,
        run,
        user);
  }

  /**
   * Cancels every active run as {@code by} (who, and why) through the steps' cancellation, and
   * waits up to {@code grace} for them to record it and release their locks; returns the runs it
   * cancelled.
   */
  List<String> cancelAll(String by, Duration grace) {
    List<Active> cancelled = List.copyOf(active.values());
    cancelled.forEach(a -> a.state().cancel(by));
    CompletableFuture<?>[] endings =
        cancelled.stream().map(Active::ending).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(endings).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("runs not ended {} after cancelling them: {}", grace, active.keySet());
    }
    return cancelled.stream().map(a -> a.state().id()).toList();
  }
}
