package io.intentbot.engine.internal;

import io.intentbot.engine.RunEvent;
import io.intentbot.engine.RunStatus;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The body of one run: take the lock, run prereqs, steps and, on failure, the {@code on_failure}
 * steps; render outputs; record the end, release the lock, seal the record.
 */
final class RunExecution implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");
  private static final Duration LOCK_POLL = Duration.ofMillis(200);

  private final RunState state;
  private final Duration lockWait;
  private final StepRunner steps;
  private final AuditStore audit;
  private final EventBus events;
  private final Expressions expressions;
  private final Clock clock;
  private final Consumer<RunRecord> onEnd;

  RunExecution(
      RunState state,
      Duration lockWait,
      StepRunner steps,
      AuditStore audit,
      EventBus events,
      Expressions expressions,
      Clock clock,
      Consumer<RunRecord> onEnd) {
    this.state = state;
    this.lockWait = lockWait;
    this.steps = steps;
    this.audit = audit;
    this.events = events;
    this.expressions = expressions;
    this.clock = clock;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    MDC.put("run_id", state.id());
    MDC.put("intent", state.intent.name());
    String lockKey = state.record().lockKey();
    boolean locked = false;
    try {
      if (lockKey != null) {
        Optional<String> failure = acquireLock(lockKey);
        if (failure.isPresent()) {
          RunStatus status = state.cancelRequested.get() ? RunStatus.CANCELLED : RunStatus.FAILED;
          end(status, failure.get(), Map.of(), false, RunStatus.PENDING);
          return;
        }
        locked = true;
      }
      if (state.cancelRequested.get()) {
        end(
            RunStatus.CANCELLED,
            "cancelled by " + state.cancelledBy() + " before it started",
            Map.of(),
            false,
            RunStatus.PENDING);
        return;
      }
      if (!audit.transition(state.id(), RunStatus.PENDING, RunStatus.RUNNING, null)) {
        audit.findRun(state.id()).ifPresent(state::record);
        return;
      }
      RunRecord running = state.record().started(clock.instant());
      audit.updateRun(running);
      state.record(running);
      int total = state.intent.steps().size();
      events.publish(new RunEvent.RunStarted(running, state.plan, total));
      LOG.info("run started: {} {}", state.intent.name(), state.parameters.display());
      execute(total);
    } catch (RuntimeException e) {
      LOG.error("run {} crashed", state.id(), e);
      end(RunStatus.FAILED, "internal error: " + e, Map.of(), false, null);
    } finally {
      if (locked) {
        audit.releaseLock(lockKey, state.id());
      }
      MDC.remove("intent");
      MDC.remove("run_id");
      onEnd.accept(state.record());
    }
  }

  private void execute(int total) {
    for (StepDefinition prereq : state.intent.prereqs()) {
      StepOutcome outcome = steps.run(state, prereq, "prereq", 0, total, state.scope, "");
      if (stopped(outcome, prereq)) {
        end(
            statusOf(outcome),
            "prerequisite '" + prereq.id() + "' " + describe(outcome),
            Map.of(),
            false,
            null);
        return;
      }
    }
    int number = 0;
    for (StepDefinition step : state.intent.steps()) {
      StepOutcome outcome = steps.run(state, step, "main", ++number, total, state.scope, "");
      if (outcome.cancelled()) {
        end(
            RunStatus.CANCELLED,
            "cancelled by " + state.cancelledBy() + " during step '" + step.id() + "'",
            Map.of(),
            false,
            null);
        return;
      }
      if (stopped(outcome, step)) {
        String reason = "step '" + step.id() + "' " + describe(outcome);
        boolean rolledBack = runOnFailure();
        String note =
            state.intent.onFailure().isEmpty()
                ? ""
                : rolledBack
                    ? "; on_failure steps ran and succeeded"
                    : "; on_failure steps did not all succeed";
        end(RunStatus.FAILED, reason + note, Map.of(), rolledBack, null);
        return;
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    try {
      state
          .intent
          .outputs()
          .forEach(
              (name, template) ->
                  outputs.put(name, expressions.render(template, state.scope.variables())));
    } catch (ExpressionException e) {
      end(RunStatus.FAILED, "outputs: " + e.getMessage(), Map.of(), false, null);
      return;
    }
    end(RunStatus.SUCCEEDED, null, outputs, false, null);
  }

  /** Runs the on_failure steps; true when at least one ran and none failed. */
  private boolean runOnFailure() {
    if (state.intent.onFailure().isEmpty()) {
      return false;
    }
    LOG.warn("run failed; running {} on_failure steps", state.intent.onFailure().size());
    boolean anyRan = false;
    boolean allOk = true;
    for (StepDefinition step : state.intent.onFailure()) {
      StepOutcome outcome = steps.run(state, step, "on_failure", 0, 0, state.scope, "");
      switch (outcome.status()) {
        case SUCCEEDED -> anyRan = true;
        case SKIPPED -> {}
        default -> allOk = false;
      }
    }
    return anyRan && allOk;
  }

  private static boolean stopped(StepOutcome outcome, StepDefinition step) {
    return outcome.cancelled() || (outcome.failed() && !step.continueOnError());
  }

  private static RunStatus statusOf(StepOutcome outcome) {
    return outcome.cancelled() ? RunStatus.CANCELLED : RunStatus.FAILED;
  }

  private static String describe(StepOutcome outcome) {
    return outcome.status().label() + (outcome.reason() == null ? "" : ": " + outcome.reason());
  }

  private Optional<String> acquireLock(String key) {
    Instant deadline = clock.instant().plus(lockWait);
    boolean announced = false;
    while (true) {
      Optional<String> holder = audit.tryLock(key, state.id(), clock.instant());
      if (holder.isEmpty()) {
        return Optional.empty();
      }
      if (state.cancelRequested.get()) {
        return Optional.of(
            "cancelled by " + state.cancelledBy() + " while waiting for lock " + key);
      }
      if (!clock.instant().isBefore(deadline)) {
        return Optional.of(
            "lock "
                + key
                + " is still held by run "
                + holder.get()
                + " after waiting "
                + Durations.format(lockWait));
      }
      if (!announced) {
        LOG.info("waiting for lock {} held by {}", key, holder.get());
        announced = true;
      }
      try {
        Thread.sleep(LOCK_POLL.toMillis());
      } catch (InterruptedException e) {
        return Optional.of(
            "cancelled by " + state.cancelledBy() + " while waiting for lock " + key);
      }
    }
  }

  /** Records the end; {@code from} guards the transition for runs that never started. */
  private void end(
      RunStatus status,
      String reason,
      Map<String, Object> outputs,
      boolean rolledBack,
      RunStatus from) {
    if (from != null && !audit.transition(state.id(), from, status, reason)) {
      audit.findRun(state.id()).ifPresent(state::record);
      return;
    }
    String clean = reason == null ? null : state.redactor.redact(reason);
    RunRecord done =
        state.record().finished(status, clock.instant(), state.redactor.redactMap(outputs), clean);
    audit.updateRun(done);
    state.record(done);
    audit.seal(state.id());
    LOG.info("run {}{}", status.label(), clean == null ? "" : ": " + clean);
    events.publish(new RunEvent.RunFinished(done, rolledBack));
  }
}
