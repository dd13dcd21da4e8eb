package io.intentbot.engine.internal;

import io.intentbot.engine.DatabaseLeadership;
import io.intentbot.engine.Decision;
import io.intentbot.engine.GroupDirectory;
import io.intentbot.engine.Leadership;
import io.intentbot.engine.Plan;
import io.intentbot.engine.RunEvent;
import io.intentbot.engine.RunListener;
import io.intentbot.engine.RunRequest;
import io.intentbot.engine.RunStatus;
import io.intentbot.engine.StepStatus;
import io.intentbot.engine.Submission;
import io.intentbot.engine.audit.ApprovalRecord;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.audit.StepRecord;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's orchestration behind {@link io.intentbot.engine.Engine}: accepts requests, gates
 * them on approval and locks, and hands accepted runs to {@link RunExecution}s on its threads.
 */
public final class RunCoordinator {

  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  /** How long an approved run waits for its lock when the intent does not say. */
  private static final Duration APPROVED_LOCK_WAIT = Duration.ofMinutes(10);

  private final IntentbotConfig config;
  private final IntentCatalog catalog;
  private final StepTypeRegistry stepTypes;
  private final AuditStore audit;
  private final Clock clock;
  private final EventBus events;
  private final Expressions expressions = new Expressions();
  private final DurableWrites durable = DurableWrites.standard();
  private final ApprovalGate gate;
  private final RunPreparer preparer;
  private final StepRunner stepRunner;
  private final ThreadPoolExecutor orchestration;
  private final ExecutorService stepThreads;
  private final ScheduledExecutorService timer;
  private final Map<String, RunState> active = new ConcurrentHashMap<>();
  private final Map<String, RunState> awaitingApproval = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<RunRecord>> endings = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** This process, as the audit store knows it: runs it executes are claimed under this id. */
  private final String processId = ProcessIds.next();

  private final Duration processTimeout;

  /** Who among the replicas marks interrupted runs (and does the bot's background duties). */
  private final Leadership leadership;

  public RunCoordinator(
      IntentbotConfig config,
      IntentCatalog catalog,
      StepTypeRegistry stepTypes,
      AuditStore audit,
      GroupDirectory groups,
      Clock clock,
      int maxConcurrentRuns,
      Duration processTimeout,
      List<RunListener> listeners,
      Leadership leadership) {
    this.config = config;
    this.catalog = catalog;
    this.stepTypes = stepTypes;
    this.audit = audit;
    this.clock = clock;
    this.events = new EventBus(listeners);
    this.gate = new ApprovalGate(groups);
    Planner planner = new Planner(stepTypes, catalog, config, expressions);
    this.preparer = new RunPreparer(config, catalog, expressions, planner);
    this.orchestration =
        new ThreadPoolExecutor(
            maxConcurrentRuns,
            maxConcurrentRuns,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads("intentbot-run-"));
    this.orchestration.allowCoreThreadTimeOut(true);
    this.stepThreads = Executors.newCachedThreadPool(threads("intentbot-step-"));
    this.timer = Executors.newSingleThreadScheduledExecutor(threads("intentbot-timer-"));
    this.processTimeout = processTimeout;
    this.leadership =
        leadership != null
            ? leadership
            : new DatabaseLeadership(audit, processId, processTimeout, clock);
    audit.heartbeat(processId, clock.instant());
    long beat = Math.max(50, processTimeout.toMillis() / 3);
    timer.scheduleWithFixedDelay(
        () -> orchestration.execute(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS);
    this.stepRunner =
        new StepRunner(
            stepTypes,
            catalog,
            config,
            expressions,
            audit,
            events,
            stepThreads,
            timer,
            orchestration,
            clock,
            durable);
  }

  public String processId() {
    return processId;
  }

  public Leadership leadership() {
    return leadership;
  }

  public Duration processTimeout() {
    return processTimeout;
  }

  public Clock clock() {
    return clock;
  }

  public IntentCatalog catalog() {
    return catalog;
  }

  public IntentbotConfig config() {
    return config;
  }

  public StepTypeRegistry stepTypes() {
    return stepTypes;
  }

  public AuditStore audit() {
    return audit;
  }

  public void addListener(RunListener listener) {
    events.add(listener);
  }

  public Submission submit(RunRequest request) {
    if (closed) {
      return new Submission.Refused("intentbot is shutting down; try again in a moment", null);
    }
    String breakGlass = request.breakGlassReason();
    if (breakGlass != null && breakGlass.isBlank()) {
      return new Submission.Invalid(
          List.of("--break-glass needs a reason, e.g. --break-glass \"site down, INC-123\""));
    }
    String runId = RunIds.next();
    PreparedRun prepared =
        preparer.prepare(
            runId, request.intent(), request.arguments(), request.requester(), request.dryRun());
    if (!prepared.ok()) {
      return new Submission.Invalid(prepared.errors());
    }
    RunState state = prepared.state();
    EnvironmentConfig environment = state.environment;
    Instant now = clock.instant();
    RunRecord base = withOrigin(state.record(), request.origin(), now);
    if (request.dryRun()) {
      return dryRun(state, base, now);
    }
    boolean gated = ApprovalGate.needsApproval(state);
    if (gated && breakGlass != null && !environment.breakGlass()) {
      return new Submission.Refused(
          environment.name()
              + " does not allow break-glass runs; ask "
              + ApprovalGate.whoMayApprove(environment.approval())
              + " to approve instead",
          null);
    }
    if (gated && breakGlass == null) {
      RunRecord waiting = base.withStatus(RunStatus.WAITING_APPROVAL, null);
      audit.createRun(waiting);
      state.record(waiting);
      awaitingApproval.put(runId, state);
      LOG.info("run {} waits for approval in {}", runId, environment.name());
      events.publish(new RunEvent.ApprovalRequested(waiting, state.plan, environment.approval()));
      return new Submission.AwaitingApproval(waiting, state.plan, environment.approval());
    }
    String lockKey = base.lockKey();
    boolean waits = state.intent.lock() != null && state.intent.lock().waits();
    if (lockKey != null && !waits) {
      Optional<String> holder = audit.tryLock(lockKey, runId, now);
      if (holder.isPresent()) {
        return new Submission.Refused(lockRefusal(lockKey, holder.get()), holder.get());
      }
    }
    RunRecord pending = base.withStatus(RunStatus.PENDING, null);
    try {
      audit.createRun(pending);
    } catch (RuntimeException e) {
      if (lockKey != null) {
        audit.releaseLock(lockKey, runId);
      }
      throw e;
    }
    state.record(pending);
    if (breakGlass != null) {
      audit.recordApproval(
          ApprovalRecord.breakGlass(
              runId,
              request.requester(),
              pending.planHash(),
              now,
              state.redactor.redact(breakGlass)));
      LOG.warn(
          "BREAK GLASS run {} by {}: {}",
          runId,
          request.requester(),
          state.redactor.redact(breakGlass));
    }
    start(state, waits ? state.intent.lock().waitFor() : Duration.ZERO);
    return new Submission.Started(pending, state.plan);
  }

  private Submission dryRun(RunState state, RunRecord base, Instant now) {
    RunRecord planned = base.withStatus(RunStatus.PENDING, null);
    audit.createRun(planned);
    int index = 0;
    for (Plan.PlannedStep step : state.plan.steps()) {
      String text = String.join("\n", step.details());
      audit.saveStep(
          new StepRecord(
              planned.id(),
              index++,
              step.id(),
              step.phase(),
              step.type(),
              StepStatus.PLANNED,
              now,
              now,
              0,
              Map.of(),
              step.summary() + (text.isEmpty() ? "" : "\n" + text),
              null));
    }
    RunRecord done =
        planned.finished(RunStatus.SUCCEEDED, now, Map.of(), "dry run: nothing was changed");
    audit.updateRun(done);
    audit.seal(done.id());
    return new Submission.Planned(done, state.plan);
  }

  private void start(RunState state, Duration lockWait) {
    audit.claimRun(state.id(), processId);
    active.put(state.id(), state);
    endings.computeIfAbsent(state.id(), id -> new CompletableFuture<>());
    RunExecution execution =
        new RunExecution(
            state,
            lockWait,
            stepRunner,
            audit,
            events,
            expressions,
            clock,
            orchestration,
            timer,
            durable,
            done -> {
              active.remove(done.id());
              CompletableFuture<RunRecord> ending = endings.remove(done.id());
              if (ending != null) {
                ending.complete(audit.findRun(done.id()).orElse(done));
              }
            });
    execution.start();
  }

  /** The run if it waits for approval, else the refusal to answer with. */
  private record Waiting(RunRecord run, Decision refusal) {}

  private Waiting waiting(String runId) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return new Waiting(null, Decision.refused(noSuchRun(runId), null));
    }
    RunRecord run = found.get();
    if (run.status() != RunStatus.WAITING_APPROVAL) {
      return new Waiting(
          run,
          Decision.refused(
              "run " + runId + " is " + run.status().label() + ", not waiting for approval", run));
    }
    return new Waiting(run, null);
  }

  public Decision approve(String runId, String user) {
    Waiting waiting = waiting(runId);
    if (waiting.refusal() != null) {
      return waiting.refusal();
    }
    RunRecord run = waiting.run();
    EnvironmentConfig environment = config.environments().get(run.environment());
    if (environment == null) {
      return endWaiting(
          run,
          RunStatus.CANCELLED,
          "environment '"
              + run.environment()
              + "' is no longer in the config; the run will not start");
    }
    Instant now = clock.instant();
    if (ApprovalGate.expired(run, environment, now)) {
      expire(run, environment);
      return Decision.refused(
          "the approval request for run "
              + runId
              + " expired after "
              + Durations.format(environment.approval().expiresAfter())
              + "; request the run again",
          audit.findRun(runId).orElse(run));
    }
    Optional<String> refusal = gate.refusal(run, environment, user);
    if (refusal.isPresent()) {
      return Decision.refused(refusal.get(), run);
    }
    RunState state = awaitingApproval.get(runId);
    if (state == null) {
      PreparedRun prepared =
          preparer.prepare(runId, run.intent(), arguments(run), run.requester(), false);
      if (!prepared.ok()) {
        return endWaiting(
            run,
            RunStatus.CANCELLED,
            "the intent or its parameters are no longer valid ("
                + String.join("; ", prepared.errors())
                + "); the run will not start, request it again");
      }
      state = prepared.state();
      state.record(run);
    } else {
      state.record(run);
    }
    String currentHash =
        Planner.hash(state.intent, state.parameters, config.environments().get(run.environment()));
    if (!currentHash.equals(run.planHash())) {
      return endWaiting(
          run,
          RunStatus.CANCELLED,
          "the plan changed since it was shown (intent file, parameters or config); run "
              + runId
              + " will not start: request it again to see the new plan");
    }
    ApprovalRecord approval = new ApprovalRecord(runId, user, true, run.planHash(), now, null);
    if (!audit.recordApproval(approval)) {
      return Decision.refused("you already decided on run " + runId, run);
    }
    long approvals =
        audit.approvals(runId).stream()
            .filter(a -> a.approved() && run.planHash().equals(a.planHash()))
            .count();
    int required = environment.approval().required();
    events.publish(new RunEvent.ApprovalRecorded(run, approval, (int) approvals, required));
    if (approvals < required) {
      return Decision.accepted(
          "approved ("
              + approvals
              + " of "
              + required
              + "); run "
              + runId
              + " waits for "
              + (required - approvals)
              + " more",
          run);
    }
    if (!audit.transition(runId, RunStatus.WAITING_APPROVAL, RunStatus.PENDING, null)) {
      RunRecord now2 = audit.findRun(runId).orElse(run);
      return Decision.accepted(
          "approved; run " + runId + " is already " + now2.status().label(), now2);
    }
    awaitingApproval.remove(runId);
    RunRecord pending = run.withStatus(RunStatus.PENDING, null);
    state.record(pending);
    Duration wait =
        state.intent.lock() != null && state.intent.lock().waits()
            ? state.intent.lock().waitFor()
            : APPROVED_LOCK_WAIT;
    start(state, wait);
    LOG.info("run {} approved by {}; starting", runId, user);
    return Decision.accepted("approved by " + user + "; run " + runId + " is starting", pending);
  }

  public Decision reject(String runId, String user, String reason) {
    Waiting waiting = waiting(runId);
    if (waiting.refusal() != null) {
      return waiting.refusal();
    }
    RunRecord run = waiting.run();
    EnvironmentConfig environment = config.environments().get(run.environment());
    boolean allowed =
        user.equals(run.requester())
            || environment == null
            || gate.mayApprove(environment.approval(), user);
    if (!allowed) {
      return Decision.refused(
          "you may not reject runs in "
              + environment.name()
              + "; "
              + ApprovalGate.whoMayApprove(environment.approval())
              + " or the requester may",
          run);
    }
    String why = reason == null || reason.isBlank() ? "" : ": " + reason;
    audit.recordApproval(
        new ApprovalRecord(runId, user, false, run.planHash(), clock.instant(), reason));
    return endWaiting(run, RunStatus.REJECTED, "rejected by " + user + why);
  }

  /**
   * Records an approver's acknowledgement of a break-glass run, which ends its "needs review"
   * state. The requester cannot acknowledge their own run unless self-approval is allowed.
   */
  public Decision acknowledge(String runId, String user, String note) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(noSuchRun(runId), null);
    }
    RunRecord run = found.get();
    boolean brokeGlass =
        audit.approvals(runId).stream().anyMatch(a -> a.breakGlassReason().isPresent());
    if (!brokeGlass) {
      return Decision.refused(
          "run " + runId + " did not skip approval; there is nothing to acknowledge", run);
    }
    EnvironmentConfig environment = config.environments().get(run.environment());
    if (environment != null) {
      Optional<String> refusal = gate.refusal(run, environment, user);
      if (refusal.isPresent()) {
        return Decision.refused(refusal.get().replace("approve", "acknowledge"), run);
      }
    }
    Optional<io.intentbot.engine.audit.ReviewRecord> earlier = audit.review(runId);
    if (earlier.isPresent()
        || !audit.recordReview(
            new io.intentbot.engine.audit.ReviewRecord(runId, user, clock.instant(), note))) {
      String by = earlier.map(r -> " by " + r.user()).orElse("");
      return Decision.refused("break-glass run " + runId + " was already acknowledged" + by, run);
    }
    LOG.info("break-glass run {} acknowledged by {}", runId, user);
    return Decision.accepted(
        "acknowledged break-glass run " + runId + "; it no longer needs review", run);
  }

  public List<RunRecord> awaitingReview() {
    return audit.runsAwaitingReview();
  }

  public Decision cancel(String runId, String user) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(noSuchRun(runId), null);
    }
    RunRecord run = found.get();
    if (run.status().isTerminal()) {
      return Decision.refused("run " + runId + " already " + run.status().label(), run);
    }
    EnvironmentConfig environment =
        run.environment() == null ? null : config.environments().get(run.environment());
    boolean allowed =
        user.equals(run.requester())
            || environment == null
            || !environment.isProtected()
            || gate.mayApprove(environment.approval(), user);
    if (!allowed) {
      return Decision.refused(
          "only the requester ("
              + run.requester()
              + ") or "
              + ApprovalGate.whoMayApprove(environment.approval())
              + " may cancel run "
              + runId,
          run);
    }
    if (run.status() == RunStatus.WAITING_APPROVAL) {
      return endWaiting(run, RunStatus.CANCELLED, "cancelled by " + user);
    }
    RunState state = active.get(runId);
    if (state == null) {
      return Decision.refused(
          "run "
              + runId
              + " is "
              + run.status().label()
              + " in another intentbot process; cancel it there",
          run);
    }
    state.cancel(user);
    if (run.status() == RunStatus.PENDING) {
      return Decision.accepted("cancelling run " + runId + " before it starts", run);
    }
    return Decision.accepted(
        "cancelling run " + runId + "; the step in progress is being stopped", run);
  }

  public Optional<RunRecord> awaitFinished(String runId, Duration timeout)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    CompletableFuture<RunRecord> ending = endings.get(runId);
    if (ending != null) {
      try {
        ending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // fall through to the store
      }
    }
    while (true) {
      Optional<RunRecord> run = audit.findRun(runId);
      if (run.isEmpty() || run.get().status().isTerminal() || !clock.instant().isBefore(deadline)) {
        return run;
      }
      Thread.sleep(50);
    }
  }

  /**
   * Marks as interrupted the runs whose process stopped: their owner has not beaten for {@code
   * processTimeout}. Every engine calls it at start (through the facade); after its heartbeats, the
   * engine that leads {@link Leadership#INTERRUPTED_RUNS} calls it, so a crashed process's runs are
   * marked by whichever process lives on. Marking is a compare-and-set per run: safe to repeat.
   */
  public List<String> recoverInterrupted() {
    Instant now = clock.instant();
    List<String> ids =
        audit.markAbandoned(
            now, now.minus(processTimeout), "intentbot stopped while the run was in progress");
    for (String id : ids) {
      audit.seal(id);
      audit.findRun(id).ifPresent(run -> events.publish(new RunEvent.RunFinished(run, false)));
    }
    if (!ids.isEmpty()) {
      LOG.warn("marked {} runs interrupted: {}", ids.size(), ids);
    }
    return ids;
  }

  private void heartbeat() {
    try {
      audit.heartbeat(processId, clock.instant());
      if (leadership.mayRun(Leadership.INTERRUPTED_RUNS)) {
        recoverInterrupted();
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.getMessage());
    }
  }

  public List<RunRecord> expireApprovals() {
    List<RunRecord> expired = new ArrayList<>();
    Instant now = clock.instant();
    for (RunRecord run : audit.runsInStatus(List.of(RunStatus.WAITING_APPROVAL))) {
      EnvironmentConfig environment = config.environments().get(run.environment());
      if (environment != null && ApprovalGate.expired(run, environment, now)) {
        expire(run, environment).ifPresent(expired::add);
      }
    }
    return expired;
  }

  private Optional<RunRecord> expire(RunRecord run, EnvironmentConfig environment) {
    Decision decision =
        endWaiting(
            run,
            RunStatus.EXPIRED,
            "approval request expired after "
                + Durations.format(environment.approval().expiresAfter()));
    return decision.accepted() ? Optional.of(decision.run()) : Optional.empty();
  }

  /** Ends a run that never started; exactly one caller wins, the others are refused. */
  private Decision endWaiting(RunRecord run, RunStatus status, String reason) {
    return endWaiting(run, status, reason, true);
  }

  /** Ends a run that never started and refuses the approval that found it stale. */
  private Decision refuseAndEnd(RunRecord run, RunStatus status, String reason) {
    return endWaiting(run, status, reason, false);
  }

  private Decision endWaiting(RunRecord run, RunStatus status, String reason, boolean accepted) {
    if (!audit.transition(run.id(), run.status(), status, reason)) {
      RunRecord now = audit.findRun(run.id()).orElse(run);
      return Decision.refused("run " + run.id() + " is already " + now.status().label(), now);
    }
    awaitingApproval.remove(run.id());
    RunRecord ended = run.finished(status, clock.instant(), Map.of(), reason);
    audit.updateRun(ended);
    audit.seal(run.id());
    LOG.info("run {} {}: {}", run.id(), status.label(), reason);
    events.publish(new RunEvent.RunFinished(ended, false));
    return new Decision(
        status != RunStatus.CANCELLED || reason.startsWith("cancelled by"), reason, ended);
  }

  public void close() {
    closed = true;
    active.values().forEach(state -> state.cancel("intentbot shutdown"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!active.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    timer.shutdownNow();
    stepThreads.shutdownNow();
    orchestration.shutdownNow();
    leadership.close();
  }

  private static List<String> arguments(RunRecord run) {
    return run.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }

  private static RunRecord withOrigin(RunRecord record, Map<String, String> origin, Instant now) {
    return new RunRecord(
        record.id(),
        record.intent(),
        record.parameters(),
        record.requester(),
        record.environment(),
        record.app(),
        RunStatus.PENDING,
        record.dryRun(),
        record.planHash(),
        record.lockKey(),
        now,
        null,
        null,
        Map.of(),
        null,
        origin);
  }

  private String lockRefusal(String key, String holder) {
    String detail =
        audit
            .findRun(holder)
            .map(r -> " (" + r.intent() + " by " + r.requester() + ", " + r.status().label() + ")")
            .orElse("");
    return "another run holds the lock "
        + key
        + ": "
        + holder
        + detail
        + "; try again when it finishes, or cancel it with `cancel "
        + holder
        + "`";
  }

  private static String noSuchRun(String runId) {
    return "there is no run " + runId + "; `history` lists recent runs";
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
