package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
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
import java.util.List;
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

  ApprovalDesk(
      IntentbotConfig config,
      AuditStore audit,
      Clock clock,
      EventBus events,
      ApprovalGate gate,
      RunPreparer preparer,
      WaitingRuns waiting,
      BiConsumer<RunState, Duration> launch) {
    this.config = config;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
    this.gate = gate;
    this.preparer = preparer;
    this.waiting = waiting;
    this.launch = launch;
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
    Waiting found = waiting(runId);
    if (found.refusal() != null) {
      return found.refusal();
    }
    RunRecord run = found.run();
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
    RunState state = waiting.state(runId).orElse(null);
    if (state == null) {
      PreparedRun prepared =
          preparer.prepare(runId, run.intent(), arguments(run), run.requester(), false);
      if (!prepared.ok()) {
        return refuseAndEnd(
            run,
            new Refusal.NoLongerValid(runId, prepared.errors()),
            "the intent or its parameters are no longer valid ("
                + String.join("; ", prepared.errors())
                + "); the run will not start, request it again");
      }
      state = prepared.state();
    }
    state.record(run);
    String currentHash = Planner.hash(state.intent, state.parameters, state.environment);
    if (!currentHash.equals(run.planHash())) {
      return refuseAndEnd(
          run,
          new Refusal.PlanChanged(runId, List.of()),
          "the plan changed since it was shown (intent file, parameters or config); run "
              + runId
              + " will not start: request it again to see the new plan");
    }
    ApprovalRecord approval = new ApprovalRecord(runId, user, true, run.planHash(), now, null);
    if (!audit.recordApproval(approval)) {
      return Decision.refused(new Refusal.AlreadyDecided(runId, user), run);
    }
    long approvals =
        audit.approvals(runId).stream()
            .filter(a -> a.approved() && run.planHash().equals(a.planHash()))
            .count();
    int required = environment.approval().required();
    events.publish(new RunEvent.ApprovalRecorded(run, approval, (int) approvals, required));
    if (approvals < required) {
      return new Decision.Accepted(
          Decision.Kind.APPROVAL_RECORDED, run, user, (int) approvals, required, null);
    }
    if (!audit.transition(runId, RunStatus.WAITING_APPROVAL, RunStatus.PENDING, null)) {
      RunRecord current = audit.findRun(runId).orElse(run);
      return new Decision.Accepted(
          Decision.Kind.APPROVED_ALREADY_MOVED, current, user, (int) approvals, required, null);
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
        Decision.Kind.APPROVED_STARTING, pending, user, (int) approvals, required, null);
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
              true),
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

  /** Expires approval requests past their {@code expires_after}; returns the expired runs. */
  List<RunRecord> expireApprovals() {
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

  private static List<String> arguments(RunRecord run) {
    return run.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
