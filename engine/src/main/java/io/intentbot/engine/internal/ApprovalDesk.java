package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.CountedApproval;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.ReviewRecord;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decisions on runs that wait for approval: approve (binding to the plan hash, exactly one start
 * however many approvals arrive at once), reject, acknowledge a break-glass run, expire.
 */
final class ApprovalDesk {

  private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);

  /** How long an approved run waits for its lock when the intent does not say. */
  static final Duration APPROVED_LOCK_WAIT = Duration.ofMinutes(10);

  private final IntentbotConfig config;
  private final AuditStore audit;
  private final Clock clock;
  private final EventBus events;
  private final ApprovalGate gate;
  private final RunPreparer preparer;
  private final WaitingRuns waiting;
  private final BiConsumer<RunState, Duration> launch;
  private final Duration processTimeout;
  private final Object[] publishOrder = new Object[64];

  ApprovalDesk(
      IntentbotConfig config,
      AuditStore audit,
      Clock clock,
      EventBus events,
      ApprovalGate gate,
      RunPreparer preparer,
      WaitingRuns waiting,
      BiConsumer<RunState, Duration> launch,
      Duration processTimeout) {
    this.config = config;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
    this.gate = gate;
    this.preparer = preparer;
    this.waiting = waiting;
    this.launch = launch;
    this.processTimeout = processTimeout;
    for (int i = 0; i < publishOrder.length; i++) {
      publishOrder[i] = new Object();
    }
  }

  /** The run if it waits for approval, else the refusal to answer with. */
  private record Waiting(RunRecord run, Decision refusal) {}

  private Waiting waiting(String runId) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return new Waiting(null, Decision.refused(new Refusal.NoSuchRun(runId), null));
    }
    RunRecord run = found.get();
    if (run.status() != RunStatus.WAITING_APPROVAL) {
      return new Waiting(run, Decision.refused(new Refusal.NotWaiting(runId, run.status()), run));
    }
    return new Waiting(run, null);
  }

  Decision approve(String runId, String user) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(new Refusal.NoSuchRun(runId), null);
    }
    RunRecord run = found.get();
    if (run.status() != RunStatus.WAITING_APPROVAL) {
      return notWaiting(run);
    }
    EnvironmentConfig environment = approvalEnvironment(run);
    if (environment == null) {
      return refuseAndEnd(
          run,
          new Refusal.EnvironmentGone(runId, run.approvalEnvironment()),
          "environment '"
              + run.approvalEnvironment()
              + "' is no longer in the config; the run will not start");
    }
    Instant now = clock.instant();
    if (ApprovalGate.expired(run, environment, now)) {
      expire(run, environment);
      return Decision.refused(
          new Refusal.Expired(runId, environment.approval().expiresAfter()),
          audit.findRun(runId).orElse(run));
    }
    Optional<Refusal> refusal = gate.refusal(run, environment, user, Refusal.Action.APPROVE);
    if (refusal.isPresent()) {
      return Decision.refused(refusal.get(), run);
    }
    Replanned replanned = replan(run);
    if (replanned.refusal() != null) {
      return replanned.refusal();
    }
    return recordApproval(run, replanned.state(), environment, user, now);
  }

  /** A waiting run planned again, as it would start now, or the decision that ends it instead. */
  private record Replanned(RunState state, Decision refusal) {}

  /**
   * Plans the waiting run again from its record, with its secret parameters from this process's
   * memory or the database (never their mask), reading every file and config value anew; ends the
   * run when it cannot start as the plan that was shown: its secrets are gone, it is no longer
   * valid, or anything its plan was computed from changed (the refusal says what).
   */
  private Replanned replan(RunRecord run) {
    String runId = run.id();
    Map<String, String> arguments = new LinkedHashMap<>(run.parameters());
    WaitingRuns.Secrets secrets = waiting.secrets(runId);
    if (secrets instanceof WaitingRuns.Secrets.Known known) {
      arguments.putAll(known.values());
    } else if (!(secrets instanceof WaitingRuns.Secrets.None)) {
      return new Replanned(null, secretsUnavailable(run, secrets));
    }
    PreparedRun prepared =
        preparer.prepare(
            runId,
            run.intent(),
            arguments.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList(),
            run.requester(),
            false);
    if (!prepared.ok()) {
      return new Replanned(
          null,
          refuseAndEnd(
              run,
              new Refusal.NoLongerValid(runId, prepared.errors()),
              "the intent or its parameters are no longer valid ("
                  + String.join("; ", prepared.errors())
                  + "); the run will not start, request it again"));
    }
    RunState state = prepared.state();
    state.record(run);
    if (!state.plan.hash().equals(run.planHash())) {
      Map<String, String> shown = shownInputs(runId);
      List<String> changes = shown.isEmpty() ? List.of() : state.inputs.changesSince(shown);
      if (changes.isEmpty()) {
        return new Replanned(
            null,
            refuseAndEnd(
                run,
                new Refusal.PlanFormatChanged(runId),
                "the plan format changed with this version of intentbot, so the plan that was"
                    + " shown cannot be checked; run "
                    + runId
                    + " will not start: submit it again"));
      }
      return new Replanned(
          null,
          refuseAndEnd(
              run,
              new Refusal.PlanChanged(runId, changes),
              "the plan changed since it was shown ("
                  + (changes.isEmpty()
                      ? "intent file, parameters or config"
                      : String.join(", ", changes))
                  + "); run "
                  + runId
                  + " will not start: request it again to see the new plan"));
    }
    return new Replanned(state, null);
  }

  /**
   * The inputs of the plan that was shown: this process's copy, else the database's; empty when
   * they were never stored (a run recorded before they were), and then what changed is not known.
   */
  private Map<String, String> shownInputs(String runId) {
    return waiting
        .state(runId)
        .filter(s -> s.inputs != null)
        .map(s -> s.inputs.digests())
        .orElseGet(() -> waiting.shownInputs(runId));
  }

  private Decision secretsUnavailable(RunRecord run, WaitingRuns.Secrets secrets) {
    boolean memoryOnly = secrets instanceof WaitingRuns.Secrets.MemoryOnly;
    return refuseAndEnd(
        run,
        new Refusal.SecretsUnavailable(
            run.id(),
            memoryOnly ? Refusal.SecretsLoss.MEMORY_ONLY : Refusal.SecretsLoss.UNREADABLE),
        memoryOnly
            ? SECRETS_IN_MEMORY_ONLY
            : "secret parameters cannot be decrypted here (INTENTBOT_SECRET_KEY is not set or"
                + " differs from the one they were encrypted with); submit again");
  }

  /** The reason recorded on a waiting run whose secret parameters left with their process. */
  static final String SECRETS_IN_MEMORY_ONLY =
      "secret parameters are kept in memory only; submit again";

  /**
   * An approval of a run that no longer waits: "already approved by A" when enough approvals took
   * it out of the wait, else what it is now.
   */
  private Decision notWaiting(RunRecord run) {
    List<String> approvedBy = approvedBy(run);
    if (!approvedBy.isEmpty()) {
      return Decision.refused(new Refusal.AlreadyApproved(run.id(), approvedBy, run.status()), run);
    }
    return Decision.refused(new Refusal.NotWaiting(run.id(), run.status()), run);
  }

  /** Who approved the run through the wait (break-glass decisions are not approvals by others). */
  private List<String> approvedBy(RunRecord run) {
    return audit.approvals(run.id()).stream()
        .filter(a -> a.approved() && a.breakGlassReason().isEmpty())
        .map(ApprovalRecord::user)
        .toList();
  }

  /**
   * Records {@code user}'s approval in the next free place of those the environment requires, and
   * starts the run with the last one. However many approvals arrive at once, on however many
   * processes, no more than the required number are recorded (the store counts them under the run's
   * row lock); later ones are refused as already approved by those recorded. Events of one run are
   * published in the order its approvals were recorded, across processes too: each is published
   * while the run's row lock is held, so the next approval is counted only after it (the threads of
   * replicas sharing one outbox show approvals in the order of their places).
   */
  private Decision recordApproval(
      RunRecord run, RunState state, EnvironmentConfig environment, String user, Instant now) {
    String runId = run.id();
    int required = environment.approval().required();
    ApprovalRecord approval = new ApprovalRecord(runId, user, true, run.planHash(), now, null);
    CountedApproval counted;
    synchronized (publishOrder(runId)) {
      counted =
          audit
              .waitingRuns()
              .recordCountedApproval(
                  approval,
                  required,
                  recorded ->
                      events.publish(
                          new RunEvent.ApprovalRecorded(
                              run, approval, recorded.place(), required)));
    }
    switch (counted.outcome()) {
      case ENOUGH_ALREADY:
        return Decision.refused(
            new Refusal.AlreadyApproved(runId, counted.approvedBy(), run.status()), run);
      case DECIDED_ALREADY:
        return Decision.refused(new Refusal.AlreadyDecided(runId, user), run);
      case RUN_SEALED:
        return notWaiting(audit.findRun(runId).orElse(run));
      case RECORDED:
      default:
        break;
    }
    int approvals = counted.place();
    if (approvals < required) {
      return new Decision.Accepted(
          Decision.Kind.APPROVAL_RECORDED, run, user, approvals, required, null);
    }
    if (!audit.transition(runId, RunStatus.WAITING_APPROVAL, RunStatus.PENDING, null)) {
      RunRecord current = audit.findRun(runId).orElse(run);
      return new Decision.Accepted(
          Decision.Kind.APPROVED_ALREADY_MOVED, current, user, approvals, required, null);
    }
    waiting.remove(runId);
    RunRecord pending = run.withStatus(RunStatus.PENDING, null);
    state.record(pending);
    Duration wait =
        state.intent.lock() != null && state.intent.lock().waits()
            ? state.intent.lock().waitFor()
            : APPROVED_LOCK_WAIT;
    launch.accept(state, wait);
    LOG.info("run {} approved by {}; starting", runId, user);
    return new Decision.Accepted(
        Decision.Kind.APPROVED_STARTING, pending, user, approvals, required, null);
  }

  /** One monitor per stripe of run ids: record-then-publish of one run's approvals in order. */
  private Object publishOrder(String runId) {
    return publishOrder[Math.floorMod(runId.hashCode(), publishOrder.length)];
  }

  Decision reject(String runId, String user, String reason) {
    Waiting found = waiting(runId);
    if (found.refusal() != null) {
      return found.refusal();
    }
    RunRecord run = found.run();
    EnvironmentConfig environment = approvalEnvironment(run);
    boolean allowed =
        user.equals(run.requester())
            || environment == null
            || gate.mayApprove(environment.approval(), user);
    if (!allowed) {
      return Decision.refused(
          new Refusal.NotAnApprover(
              environment.name(),
              Refusal.Action.REJECT,
              Approvers.of(environment.approval()),
              true,
              gate.groupsUnchecked(environment.approval())),
          run);
    }
    String comment = reason == null || reason.isBlank() ? null : reason;
    audit.recordApproval(
        new ApprovalRecord(runId, user, false, run.planHash(), clock.instant(), reason));
    return waiting.end(
        run,
        RunStatus.REJECTED,
        "rejected by " + user + (comment == null ? "" : ": " + comment),
        ended -> new Decision.Accepted(Decision.Kind.REJECTED, ended, user, 0, 0, comment));
  }

  /**
   * Records an approver's acknowledgement of a break-glass run, which ends its "needs review"
   * state. The requester cannot acknowledge their own run unless self-approval is allowed.
   */
  Decision acknowledge(String runId, String user, String note) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(new Refusal.NoSuchRun(runId), null);
    }
    RunRecord run = found.get();
    boolean brokeGlass =
        audit.approvals(runId).stream().anyMatch(a -> a.breakGlassReason().isPresent());
    if (!brokeGlass) {
      return Decision.refused(new Refusal.NothingToAcknowledge(runId), run);
    }
    EnvironmentConfig environment = approvalEnvironment(run);
    if (environment != null) {
      Optional<Refusal> refusal = gate.refusal(run, environment, user, Refusal.Action.ACKNOWLEDGE);
      if (refusal.isPresent()) {
        return Decision.refused(refusal.get(), run);
      }
    }
    Optional<ReviewRecord> earlier = audit.review(runId);
    if (earlier.isPresent()
        || !audit.recordReview(new ReviewRecord(runId, user, clock.instant(), note))) {
      return Decision.refused(
          new Refusal.AlreadyAcknowledged(runId, earlier.map(ReviewRecord::user).orElse(null)),
          run);
    }
    LOG.info("break-glass run {} acknowledged by {}", runId, user);
    return Decision.Accepted.of(Decision.Kind.ACKNOWLEDGED, run, user);
  }

  /**
   * Expires approval requests past their {@code expires_after}; returns the expired runs. Also
   * cancels the waiting runs that can never start because their secret parameters were kept only in
   * the memory of a process that is gone ({@link #cancelWithLostSecrets}).
   */
  List<RunRecord> expireApprovals() {
    cancelWithLostSecrets();
    List<RunRecord> expired = new ArrayList<>();
    Instant now = clock.instant();
    for (RunRecord run : audit.runsInStatus(List.of(RunStatus.WAITING_APPROVAL))) {
      EnvironmentConfig environment = approvalEnvironment(run);
      if (environment != null && ApprovalGate.expired(run, environment, now)) {
        expire(run, environment).ifPresent(expired::add);
      }
    }
    return expired;
  }

  /**
   * Cancels every waiting run whose secret parameters only a process silent for the process timeout
   * held (a restart without {@code INTENTBOT_SECRET_KEY}): recorded with the reason {@value
   * #SECRETS_IN_MEMORY_ONLY}, so its card stops offering an approval that cannot work.
   */
  List<RunRecord> cancelWithLostSecrets() {
    List<RunRecord> cancelled = new ArrayList<>();
    for (String runId : waiting.withLostSecrets(clock.instant().minus(processTimeout))) {
      audit
          .findRun(runId)
          .filter(run -> run.status() == RunStatus.WAITING_APPROVAL)
          .map(
              run ->
                  waiting.end(
                      run,
                      RunStatus.CANCELLED,
                      SECRETS_IN_MEMORY_ONLY,
                      ended -> Decision.Accepted.of(Decision.Kind.CANCELLED, ended, null)))
          .filter(Decision::accepted)
          .ifPresent(decision -> cancelled.add(decision.run()));
    }
    return cancelled;
  }

  private Optional<RunRecord> expire(RunRecord run, EnvironmentConfig environment) {
    Decision decision =
        waiting.end(
            run,
            RunStatus.EXPIRED,
            "approval request expired after "
                + Durations.format(environment.approval().expiresAfter()),
            ended -> Decision.Accepted.of(Decision.Kind.EXPIRED, ended, null));
    return decision.accepted() ? Optional.of(decision.run()) : Optional.empty();
  }

  /**
   * Cancels a waiting run that can no longer start as approved ({@code reason} is recorded) and
   * refuses the approval that found it so; whoever ended it first wins.
   */
  private Decision refuseAndEnd(RunRecord run, Refusal refusal, String reason) {
    return waiting.end(run, RunStatus.CANCELLED, reason, ended -> Decision.refused(refusal, ended));
  }

  /**
   * The environment whose approval policy decides on the run: the strictest one it touches (access
   * branch: {@link RunRecord#approvalEnvironment()}), null when it left the config.
   */
  private EnvironmentConfig approvalEnvironment(RunRecord run) {
    String name = run.approvalEnvironment();
    return name == null ? null : config.environments().get(name);
  }
}
