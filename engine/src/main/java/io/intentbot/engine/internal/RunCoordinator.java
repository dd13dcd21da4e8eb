package io.intentbot.engine.internal;

import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.leader.DatabaseLeadership;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunListener;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link io.intentbot.engine.Engine}: wires its pieces (intake, approval desk,
 * run control, liveness, duties) and owns its life: built, nothing runs; {@link #start()} beats and
 * starts the duties; {@link #close()} cancels what runs and stops. Listeners join before start.
 */
public final class RunCoordinator {

  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  /** Where the engine is in its life. */
  private enum Phase {
    BUILT,
    STARTED,
    CLOSED
  }

  private final IntentbotConfig config;
  private final IntentCatalog catalog;
  private final StepTypeRegistry stepTypes;
  private final AuditStore audit;
  private final Clock clock;
  private final EventBus events;
  private final ThreadPoolExecutor orchestration;
  private final ExecutorService stepThreads;
  private final ScheduledExecutorService timer;
  private final Leadership leadership;
  private final Duration processTimeout;
  private final RunEndings endings;
  private final Liveness liveness;
  private final SubmissionIntake intake;
  private final ApprovalDesk desk;
  private final RunControl control;
  private final Duties duties;
  private final AccessPolicy access;
  private final AccessJournal journal;
  private final RunAdmission admission;
  private final DecisionsElsewhere elsewhere;
  private final SecretMasks masks;
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.BUILT);

  public RunCoordinator(
      IntentbotConfig config,
      IntentCatalog catalog,
      StepTypeRegistry stepTypes,
      AuditStore audit,
      GroupDirectory groups,
      Clock clock,
      int maxConcurrentRuns,
      Duration processTimeout,
      Duration expiryInterval,
      List<RunListener> listeners,
      Leadership leadership,
      String secretKey,
      List<String> secrets) {
    SecretVault vault = SecretVault.of(secretKey);
    this.masks = new SecretMasks(config, secrets);
    io.intentbot.engine.config.LoadLimits limits = io.intentbot.engine.config.LoadLimits.of(config);
    this.config = config;
    this.catalog = catalog;
    this.stepTypes = stepTypes;
    this.audit = audit;
    this.clock = clock;
    this.processTimeout = processTimeout;
    this.events = new EventBus(listeners);
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
    ScheduledThreadPoolExecutor timerPool =
        new ScheduledThreadPoolExecutor(1, threads("intentbot-timer-"));
    timerPool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    timerPool.setRemoveOnCancelPolicy(true);
    this.timer = timerPool;
    this.endings = new RunEndings(audit, timer);
    String processId = ProcessIds.next();
    this.leadership =
        leadership != null
            ? leadership
            : new DatabaseLeadership(audit, processId, processTimeout, clock);
    this.liveness = new Liveness(audit, events, clock, processId, processTimeout, endings::ended);
    Expressions expressions = new Expressions();
    DurableWrites durable = DurableWrites.standard();
    ApprovalGate gate = new ApprovalGate(groups);
    this.access = new AccessPolicy(config, groups);
    this.journal = new AccessJournal(audit, clock, events, masks.process());
    this.admission = new RunAdmission(limits, audit, journal);
    this.elsewhere = new DecisionsElsewhere(audit, events, this.leadership, timer);
    RunPreparer preparer =
        new RunPreparer(
            config,
            catalog,
            expressions,
            new Planner(stepTypes, catalog, config, expressions, clock),
            masks);
    StepRunner stepRunner =
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
            durable,
            new StepSlots(limits.processes()));
    WaitingRuns waiting = new WaitingRuns(audit, events, clock, endings::ended, vault, processId);
    this.control =
        new RunControl(
            config,
            access,
            audit,
            gate,
            waiting,
            liveness,
            (state, lockWait, onEnd) ->
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
                    onEnd),
            run -> endings.ended(run));
    this.endings.runsHere(control::runsHere);
    this.intake =
        new SubmissionIntake(
            config,
            catalog,
            access,
            journal,
            audit,
            clock,
            events,
            preparer,
            waiting,
            control::launch,
            new LockRefusals(audit, liveness));
    this.desk =
        new ApprovalDesk(
            config, audit, clock, events, gate, preparer, waiting, control::launch, processTimeout);
    this.duties =
        new Duties(
            liveness::beat,
            liveness::recoverInterrupted,
            desk::expireApprovals,
            this.leadership,
            timer,
            orchestration,
            liveness.beatInterval(),
            expiryInterval);
  }

  /**
   * Beats once, then starts the heartbeats and the background duties. Listeners added before stay;
   * none may be added after.
   *
   * @throws IllegalStateException when started twice or after close
   */
  public void start() {
    if (!phase.compareAndSet(Phase.BUILT, Phase.STARTED)) {
      throw new IllegalStateException("the engine is " + phase.get().name().toLowerCase());
    }
    duties.start();
  }

  public boolean started() {
    return phase.get() == Phase.STARTED;
  }

  public String processId() {
    return liveness.processId();
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

  /**
   * @throws IllegalStateException once the engine has started: events would be lost to it
   */
  public void addListener(RunListener listener) {
    if (phase.get() != Phase.BUILT) {
      throw new IllegalStateException(
          "listeners join before engine.start(), through the builder or addListener");
    }
    events.add(listener);
  }

  public Submission submit(RunRequest request) {
    if (phase.get() == Phase.CLOSED) {
      return new Submission.Refused(new Refusal.ShuttingDown());
    }
    requireStarted();
    return MaskedOutcomes.submission(
        admission.submit(request, intake::refusedBeforePlanning, intake::plan),
        masks.forRequest(request, catalog));
  }

  public Decision approve(String runId, Actor actor) {
    requireStarted();
    Optional<Decision> unknown = notInterpretable(runId);
    if (unknown.isPresent()) {
      return unknown.get();
    }
    Optional<Refusal> source = approvalSourceRefusal(runId, actor);
    if (source.isPresent()) {
      RunRecord run = audit.findRun(runId).orElse(null);
      return Decision.refused(
          journal.refused(
              actor,
              "approve",
              run.intent(),
              runId,
              List.of(run.approvalEnvironment()),
              source.get()),
          run);
    }
    return recorded(actor, "approve", runId, desk.approve(runId, actor.user()));
  }

  public Decision reject(String runId, Actor actor, String reason) {
    requireStarted();
    Optional<Decision> unknown = notInterpretable(runId);
    if (unknown.isPresent()) {
      return unknown.get();
    }
    return recorded(actor, "reject", runId, desk.reject(runId, actor.user(), reason));
  }

  public Decision acknowledge(String runId, Actor actor, String note) {
    requireStarted();
    Optional<Decision> unknown = notInterpretable(runId);
    if (unknown.isPresent()) {
      return unknown.get();
    }
    return recorded(actor, "ack", runId, desk.acknowledge(runId, actor.user(), note));
  }

  /**
   * A refusal when the run's intent is not in this process's catalogue: deciding on a plan this
   * process cannot read would end the run (approving plans it again, and a missing intent is a
   * changed plan), so nothing is decided and the run stays as it was.
   */
  private Optional<Decision> notInterpretable(String runId) {
    Optional<RunRecord> run = audit.findRun(runId);
    if (run.isEmpty() || catalog.find(run.get().intent()).isPresent()) {
      return Optional.empty();
    }
    String intent = run.get().intent();
    boolean broken =
        catalog.problems().stream().anyMatch(p -> p.location().file().equals(intent + ".yaml"));
    return Optional.of(
        Decision.refused(
            new Refusal.IntentNotLoaded(runId, intent, catalog.dir().toString(), broken),
            run.get()));
  }

  /** Who may do what, as the config says. */
  public AccessPolicy access() {
    return access;
  }

  /**
   * Records that an operating-system user was refused acting as {@code claimed} and returns the
   * refusal.
   */
  public Refusal refuseIdentity(Actor actor, String claimed) {
    return MaskedOutcomes.refusal(
        journal.refused(
            actor,
            "act-as",
            null,
            null,
            List.of(),
            new Refusal.UntrustedIdentity(actor.osUser(), claimed, actor.user())),
        masks.process());
  }

  /** See {@link io.intentbot.engine.Engine#followDecisionsMadeElsewhere}. */
  public void followDecisionsMadeElsewhere(Duration interval) {
    elsewhere.follow(interval);
  }

  /**
   * A terminal (CLI, console) may approve a run of a protected environment only where its {@code
   * approval.from} includes {@code cli}.
   */
  private Optional<Refusal> approvalSourceRefusal(String runId, Actor actor) {
    String source = actor.approvalSource();
    if (!"slack".equals(source) && !"cli".equals(source)) {
      return Optional.empty(); // code embedding the engine, an in-memory chat
    }
    RunRecord run = audit.findRun(runId).orElse(null);
    if (run == null || run.approvalEnvironment() == null) {
      return Optional.empty();
    }
    var environment = config.environments().get(run.approvalEnvironment());
    if (environment == null
        || !environment.isProtected()
        || environment.approval().allowsFrom(source)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal.ApprovalSourceNotAllowed(
            environment.name(), source, environment.approval().from()));
  }

  /**
   * Writes a refused decision to the access log when it was refused for who asked, and a decision
   * made from a terminal, for Slack to show.
   */
  private Decision recorded(Actor actor, String action, String runId, Decision decision) {
    RunRecord run = decision.run();
    if (decision instanceof Decision.Refused refused && permission(refused.reason())) {
      journal.refused(
          actor,
          action,
          run == null ? null : run.intent(),
          runId,
          run == null || run.approvalEnvironment() == null
              ? List.of()
              : List.of(run.approvalEnvironment()),
          refused.reason());
    } else if (decision.accepted() && actor.source() != null && !"slack".equals(actor.source())) {
      journal.decided(
          actor,
          action,
          run == null ? null : run.intent(),
          runId,
          ((Decision.Accepted) decision).kind().name());
    }
    return MaskedOutcomes.decision(decision, masks.process());
  }

  private static boolean permission(Refusal refusal) {
    return refusal instanceof Refusal.NotAnApprover
        || refusal instanceof Refusal.SelfApproval
        || refusal instanceof Refusal.MayNotCancel
        || refusal instanceof Refusal.NoApprovers;
  }

  public List<RunRecord> awaitingReview() {
    return audit.runsAwaitingReview();
  }

  public Decision cancel(String runId, Actor actor) {
    requireStarted();
    return recorded(actor, "cancel", runId, control.cancel(runId, actor.user()));
  }

  /** Refused attempts from the access log, newest first. */
  public List<AccessEvent> refusedAttempts(int limit) {
    return audit.refusedAttempts(limit);
  }

  public Optional<RunRecord> awaitFinished(String runId, Duration timeout)
      throws InterruptedException {
    return endings.await(runId, timeout);
  }

  /** See {@link io.intentbot.engine.Engine#cancelRunsHere}. */
  public List<String> cancelRunsHere(String by, Duration grace) {
    return control.cancelAll(by, grace);
  }

  /** See {@link io.intentbot.engine.Engine#recoverInterrupted()}. */
  public List<String> recoverInterrupted() {
    return liveness.recoverInterrupted();
  }

  public List<RunRecord> expireApprovals() {
    return desk.expireApprovals();
  }

  private void requireStarted() {
    if (phase.get() == Phase.BUILT) {
      throw new IllegalStateException("call engine.start() first (after adding its listeners)");
    }
  }

  public void close() {
    Phase was = phase.getAndSet(Phase.CLOSED);
    if (was == Phase.CLOSED) {
      return;
    }
    control.cancelAll("intentbot shutdown", Duration.ofSeconds(5));
    stepThreads.shutdownNow();
    // Run and timer threads write the audit database: an interrupt there would close H2's file.
    timer.shutdown();
    orchestration.getQueue().clear();
    orchestration.shutdown();
    awaitQuietly(orchestration);
    awaitQuietly(timer);
    events.close();
    leadership.close();
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("engine threads still busy after 5 s at close; left to finish as daemons");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
