package io.intentbot.engine.internal;

import io.intentbot.engine.Decision;
import io.intentbot.engine.RunEvent;
import io.intentbot.engine.RunStatus;
import io.intentbot.engine.audit.ApprovalRecord;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.ReviewRecord;
import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.Durations;
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
      return new Waiting(null, Decision.refused(Refusals.noSuchRun(runId), null));
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

  Decision approve(String runId, String user) {
    Waiting found = waiting(runId);
    if (found.refusal() != null) {
      return found.refusal();
    }
    RunRecord run = found.run();
    EnvironmentConfig environment = config.environments().get(run.environment());
    if (environment == null) {
      return waiting.end(
          run,
          RunStatus.CANCELLED,
          "environment '"
              + run.environment()
              + "' is no longer in the config; the run will not start",
          false);
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
    RunState state = waiting.state(runId).orElse(null);
    if (state == null) {
      PreparedRun prepared =
          preparer.prepare(runId, run.intent(), arguments(run), run.requester(), false);
      if (!prepared.ok()) {
        return waiting.end(
            run,
            RunStatus.CANCELLED,
            "the intent or its parameters are no longer valid ("
                + String.join("; ", prepared.errors())
                + "); the run will not start, request it again",
            false);
      }
      state = prepared.state();
    }
    state.record(run);
    String currentHash = Planner.hash(state.intent, state.parameters, environment);
    if (!currentHash.equals(run.planHash())) {
      return waiting.end(
          run,
          RunStatus.CANCELLED,
          "the plan changed since it was shown (intent file, parameters or config); run "
              + runId
              + " will not start: request it again to see the new plan",
          false);
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
      RunRecord current = audit.findRun(runId).orElse(run);
      return Decision.accepted(
          "approved; run " + runId + " is already " + current.status().label(), current);
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
    return Decision.accepted("approved by " + user + "; run " + runId + " is starting", pending);
  }

  Decision reject(String runId, String user, String reason) {
    Waiting found = waiting(runId);
    if (found.refusal() != null) {
      return found.refusal();
    }
    RunRecord run = found.run();
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
    return waiting.end(run, RunStatus.REJECTED, "rejected by " + user + why, true);
  }

  /**
   * Records an approver's acknowledgement of a break-glass run, which ends its "needs review"
   * state. The requester cannot acknowledge their own run unless self-approval is allowed.
   */
  Decision acknowledge(String runId, String user, String note) {
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      return Decision.refused(Refusals.noSuchRun(runId), null);
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
    Optional<ReviewRecord> earlier = audit.review(runId);
    if (earlier.isPresent()
        || !audit.recordReview(new ReviewRecord(runId, user, clock.instant(), note))) {
      String by = earlier.map(r -> " by " + r.user()).orElse("");
      return Decision.refused("break-glass run " + runId + " was already acknowledged" + by, run);
    }
    LOG.info("break-glass run {} acknowledged by {}", runId, user);
    return Decision.accepted(
        "acknowledged break-glass run " + runId + "; it no longer needs review", run);
  }

  /** Expires approval requests past their {@code expires_after}; returns the expired runs. */
  List<RunRecord> expireApprovals() {
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
        waiting.end(
            run,
            RunStatus.EXPIRED,
            "approval request expired after "
                + Durations.format(environment.approval().expiresAfter()),
            true);
    return decision.accepted() ? Optional.of(decision.run()) : Optional.empty();
  }

  private static List<String> arguments(RunRecord run) {
    return run.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
