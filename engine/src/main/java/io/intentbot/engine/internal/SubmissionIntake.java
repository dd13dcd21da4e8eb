package io.intentbot.engine.internal;

import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.access.FreezeCalendar;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.InputProblem;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a {@link RunRequest} in: prepares and plans it, records a dry run, or records the run and
 * either parks it for approval or takes its lock and launches it. Nothing is recorded for an
 * invalid or refused request.
 */
final class SubmissionIntake {

  private static final Logger LOG = LoggerFactory.getLogger(SubmissionIntake.class);

  private final IntentbotConfig config;
  private final IntentCatalog catalog;
  private final AccessPolicy access;
  private final AccessJournal journal;
  private final AuditStore audit;
  private final Clock clock;
  private final EventBus events;
  private final RunPreparer preparer;
  private final WaitingRuns waiting;
  private final BiConsumer<RunState, Duration> launch;
  private final LockRefusals locks;

  SubmissionIntake(
      IntentbotConfig config,
      IntentCatalog catalog,
      AccessPolicy access,
      AccessJournal journal,
      AuditStore audit,
      Clock clock,
      EventBus events,
      RunPreparer preparer,
      WaitingRuns waiting,
      BiConsumer<RunState, Duration> launch,
      LockRefusals locks) {
    this.config = config;
    this.catalog = catalog;
    this.access = access;
    this.journal = journal;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
    this.preparer = preparer;
    this.waiting = waiting;
    this.launch = launch;
    this.locks = locks;
  }

  /**
   * What refuses {@code request} before anything is planned or counted: a break-glass without a
   * reason, or the access rules on every environment its arguments name (a plan may read them: a
   * database, a cluster). Empty when it may go on to {@link #plan}.
   */
  Optional<Submission> refusedBeforePlanning(RunRequest request) {
    String breakGlass = request.breakGlassReason();
    if (breakGlass != null && breakGlass.isBlank()) {
      return Optional.of(
          new Submission.Invalid(
              List.of(
                  InputProblem.general(
                      InputProblem.Kind.BREAK_GLASS_WITHOUT_REASON,
                      "--break-glass needs a reason, e.g. --break-glass \"site down, INC-123\""))));
    }
    IntentDefinition named = catalog.find(request.intent()).orElse(null);
    if (named == null) {
      return Optional.empty();
    }
    Actor actor = Actor.of(request);
    List<String> asked = TouchedEnvironments.beforePlanning(named, request.arguments(), config);
    return access
        .mayRun(actor, named, asked)
        .map(early -> refuse(actor, action(request), named.name(), asked, early));
  }

  /** Plans and takes in {@code request}, which {@link #refusedBeforePlanning} let through. */
  Submission plan(RunRequest request) {
    String breakGlass = request.breakGlassReason();
    Actor actor = Actor.of(request);
    String action = action(request);
    String runId = RunIds.next();
    PreparedRun prepared =
        preparer.prepare(
            runId, request.intent(), request.arguments(), request.requester(), request.dryRun());
    if (!prepared.ok()) {
      return new Submission.Invalid(prepared.problems());
    }
    RunState state = prepared.state();
    List<String> touched = TouchedEnvironments.of(state, config);
    Optional<Refusal> denied = access.mayRun(actor, state.intent, touched);
    if (denied.isPresent()) {
      return refuse(actor, action, state.intent.name(), touched, denied.get());
    }
    EnvironmentConfig environment = TouchedEnvironments.strictest(touched, config);
    Instant now = clock.instant();
    Map<String, String> origin = new LinkedHashMap<>(request.origin());
    if (environment != null
        && (state.environment == null || !environment.name().equals(state.environment.name()))) {
      origin.put(RunRecord.APPROVAL_ENVIRONMENT, environment.name());
    }
    RunRecord base = withOrigin(state.record(), origin, now);
    if (request.dryRun()) {
      return dryRun(state, base, now);
    }
    boolean gated = ApprovalGate.needsApproval(state, environment);
    Optional<FreezeCalendar.Window> freeze = Optional.empty();
    EnvironmentConfig frozenIn = null;
    if (ApprovalGate.changes(state)) {
      for (String name : touched) {
        EnvironmentConfig env = config.environments().get(name);
        freeze = env == null ? Optional.empty() : FreezeCalendar.current(env, now);
        if (freeze.isPresent()) {
          frozenIn = env;
          break;
        }
      }
    }
    if (frozenIn != null && breakGlass == null) {
      FreezeCalendar.Window window = freeze.get();
      return refuse(
          actor,
          action,
          state.intent.name(),
          touched,
          new Refusal.Frozen(
              frozenIn.name(),
              window.reason(),
              window.to(),
              frozenIn.breakGlassRights().allowed()));
    }
    if (breakGlass != null) {
      EnvironmentConfig bypassed = gated ? environment : frozenIn;
      if (bypassed == null) {
        return refuse(
            actor,
            action,
            state.intent.name(),
            touched,
            new Refusal.NothingToBypass(
                state.intent.name(), environment == null ? null : environment.name()));
      }
      Optional<Refusal> mayNot = access.mayBreakGlass(actor, bypassed);
      if (mayNot.isPresent()) {
        return refuse(actor, action, state.intent.name(), touched, mayNot.get());
      }
      if (frozenIn != null) {
        origin.put("broke_freeze", frozenIn.name() + freezeReason(freeze.get()));
        base = withOrigin(state.record(), origin, now);
      }
    }
    if (gated && breakGlass == null && !state.plan.complete()) {
      return refuse(
          actor,
          action,
          state.intent.name(),
          touched,
          new Refusal.IncompletePlan(
              state.intent.name(), environment.name(), state.plan.failedReads()));
    }
    if (gated && breakGlass == null) {
      RunRecord parked = base.withStatus(RunStatus.WAITING_APPROVAL, null);
      audit.createRun(parked);
      state.record(parked);
      waiting.put(state);
      LOG.info("run {} waits for approval in {}", runId, environment.name());
      events.publish(new RunEvent.ApprovalRequested(parked, state.plan, environment.approval()));
      return new Submission.AwaitingApproval(parked, state.plan, environment.approval());
    }
    String lockKey = base.lockKey();
    boolean waits = state.intent.lock() != null && state.intent.lock().waits();
    if (lockKey != null && !waits) {
      Optional<String> holder = audit.tryLock(lockKey, runId, now);
      if (holder.isPresent()) {
        return new Submission.Refused(locks.held(lockKey, holder.get()));
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
      String reason = state.redactor.redact(breakGlass);
      audit.recordApproval(
          ApprovalRecord.breakGlass(runId, request.requester(), pending.planHash(), now, reason));
      LOG.warn(
          "BREAK GLASS run {} by {}: {}{}",
          runId,
          request.requester(),
          reason,
          pending.origin().containsKey("broke_freeze")
              ? "; it broke the freeze of " + pending.origin().get("broke_freeze")
              : "");
    }
    launch.accept(state, waits ? state.intent.lock().waitFor() : Duration.ZERO);
    return new Submission.Started(pending, state.plan);
  }

  private Submission refuse(
      Actor actor, String action, String intent, List<String> environments, Refusal refusal) {
    return new Submission.Refused(
        journal.refused(actor, action, intent, null, environments, refusal));
  }

  private static String freezeReason(FreezeCalendar.Window window) {
    return window.reason() == null ? "" : " (" + window.reason() + ")";
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
        state.plan.complete()
            ? planned.finished(RunStatus.SUCCEEDED, now, Map.of(), "dry run: nothing was changed")
            : planned.finished(
                RunStatus.FAILED, now, Map.of(), "dry run: the plan is incomplete (a read failed)");
    audit.updateRun(done);
    audit.seal(done.id());
    return new Submission.Planned(done, state.plan);
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

  private static String action(RunRequest request) {
    return request.dryRun()
        ? "dry-run"
        : request.breakGlassReason() != null ? "break-glass" : "run";
  }
}
