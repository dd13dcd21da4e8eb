package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The course of one run: take the lock, run prereqs, steps and, on failure, the {@code on_failure}
 * steps; render outputs; record the end, release the lock, seal the record. Each stage continues on
 * the orchestration executor when the one before completes, so a run waiting for its lock or for a
 * step holds no thread.
 */
final class RunExecution {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");
  private static final Duration LOCK_POLL = Duration.ofMillis(200);

  private final RunState state;
  private final Duration lockWait;
  private final StepRunner steps;
  private final AuditStore audit;
  private final EventBus events;
  private final Expressions expressions;
  private final Clock clock;
  private final Executor orchestration;
  private final ScheduledExecutorService timer;
  private final Consumer<RunRecord> onEnd;
  private final DurableWrites durable;
  private Instant lockDeadline;
  private boolean locked;
  private boolean announcedWait;
  private boolean finished;

  /** The next look at a busy lock; cancelled when a cancel makes the run look at once. */
  private ScheduledFuture<?> nextLockTry;

  RunExecution(
      RunState state,
      Duration lockWait,
      StepRunner steps,
      AuditStore audit,
      EventBus events,
      Expressions expressions,
      Clock clock,
      Executor orchestration,
      ScheduledExecutorService timer,
      DurableWrites durable,
      Consumer<RunRecord> onEnd) {
    this.durable = durable;
    this.state = state;
    this.lockWait = lockWait;
    this.steps = steps;
    this.audit = audit;
    this.events = events;
    this.expressions = expressions;
    this.clock = clock;
    this.orchestration = orchestration;
    this.timer = timer;
    this.onEnd = onEnd;
  }

  /** Starts the run on the orchestration executor and returns at once. */
  void start() {
    orchestration.execute(() -> guarded(this::begin));
  }

  private void begin() {
    if (state.record().lockKey() != null) {
      lockDeadline = clock.instant().plus(lockWait);
      tryLock();
      return;
    }
    afterLock();
  }

  private synchronized void tryLock() {
    if (finished || locked) {
      return;
    }
    nextLockTry = null;
    String key = state.record().lockKey();
    Optional<String> holder = durable.get(() -> audit.tryLock(key, state.id(), clock.instant()));
    if (holder.isEmpty()) {
      locked = true;
      afterLock();
      return;
    }
    if (state.cancelRequested.get()) {
      stop(
          RunStatus.CANCELLED,
          "cancelled by " + state.cancelledBy() + " while waiting for lock " + key);
      return;
    }
    if (!clock.instant().isBefore(lockDeadline)) {
      stop(
          RunStatus.FAILED,
          "lock "
              + key
              + " is still held by run "
              + holder.get()
              + " after waiting "
              + Durations.format(lockWait));
      return;
    }
    if (!announcedWait) {
      LOG.info("waiting for lock {} held by {}", key, holder.get());
      announcedWait = true;
      state.cancellation().thenRun(this::cancelledWhileWaiting);
    }
    nextLockTry =
        timer.schedule(
            () -> orchestration.execute(() -> guarded(this::tryLock)),
            LOCK_POLL.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** A cancel while the run waits for its lock: look again now rather than at the next try. */
  private synchronized void cancelledWhileWaiting() {
    if (nextLockTry != null && nextLockTry.cancel(false)) {
      orchestration.execute(() -> guarded(this::tryLock));
    }
  }

  /** Ends a run that never started. */
  private void stop(RunStatus status, String reason) {
    end(status, reason, Map.of(), false, RunStatus.PENDING);
    finish();
  }

  private void afterLock() {
    if (state.cancelRequested.get()) {
      stop(RunStatus.CANCELLED, "cancelled by " + state.cancelledBy() + " before it started");
      return;
    }
    if (!durable.get(
        () -> audit.transition(state.id(), RunStatus.PENDING, RunStatus.RUNNING, null))) {
      audit.findRun(state.id()).ifPresent(state::record);
      finish();
      return;
    }
    RunRecord running = state.record().started(clock.instant());
    durable.run(() -> audit.updateRun(running));
    state.record(running);
    events.publish(new RunEvent.RunStarted(running, state.plan, state.intent.steps().size()));
    LOG.info("run started: {} {}", state.intent.name(), state.parameters.display());
    prereq(0);
  }

  private void prereq(int at) {
    List<StepDefinition> prereqs = state.intent.prereqs();
    if (at == prereqs.size()) {
      main(0);
      return;
    }
    StepDefinition prereq = prereqs.get(at);
    then(
        steps.run(state, prereq, "prereq", 0, total(), state.scope, ""),
        outcome -> {
          if (stopped(outcome, prereq)) {
            end(
                statusOf(outcome),
                "prerequisite '" + prereq.id() + "' " + describe(outcome),
                Map.of(),
                false,
                null);
            finish();
          } else {
            prereq(at + 1);
          }
        });
  }

  private void main(int at) {
    List<StepDefinition> main = state.intent.steps();
    if (at == main.size()) {
      succeed();
      return;
    }
    StepDefinition step = main.get(at);
    then(
        steps.run(state, step, "main", at + 1, total(), state.scope, ""),
        outcome -> {
          if (outcome.cancelled()) {
            end(
                RunStatus.CANCELLED,
                "cancelled by " + state.cancelledBy() + " during step '" + step.id() + "'",
                Map.of(),
                false,
                null);
            finish();
          } else if (stopped(outcome, step)) {
            onFailure(0, "step '" + step.id() + "' " + describe(outcome), false, true);
          } else {
            main(at + 1);
          }
        });
  }

  /** Runs the on_failure steps in order; the run is rolled back when one ran and none failed. */
  private void onFailure(int at, String reason, boolean anyRan, boolean allOk) {
    List<StepDefinition> undo = state.intent.onFailure();
    if (at == undo.size()) {
      boolean rolledBack = anyRan && allOk;
      String note =
          undo.isEmpty()
              ? ""
              : rolledBack
                  ? "; on_failure steps ran and succeeded"
                  : allOk
                      ? "; no on_failure step applied (their conditions were false)"
                      : "; on_failure steps did not all succeed";
      end(RunStatus.FAILED, reason + note, Map.of(), rolledBack, null);
      finish();
      return;
    }
    if (at == 0) {
      LOG.warn("run failed; running {} on_failure steps", undo.size());
    }
    then(
        steps.run(state, undo.get(at), "on_failure", 0, 0, state.scope, ""),
        outcome ->
            onFailure(
                at + 1,
                reason,
                anyRan || outcome.status() == io.intentbot.engine.model.StepStatus.SUCCEEDED,
                allOk
                    && (outcome.status() == io.intentbot.engine.model.StepStatus.SUCCEEDED
                        || outcome.status() == io.intentbot.engine.model.StepStatus.SKIPPED)));
  }

  private void succeed() {
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
      finish();
      return;
    }
    end(RunStatus.SUCCEEDED, null, outputs, false, null);
    finish();
  }

  /**
   * Continues with {@code next} on the orchestration executor when the step is recorded. A step
   * still running ends there ({@link StepRunner} and {@link LibraryStepRunner} record its end on
   * that executor), so the run continues on the thread that recorded it rather than queueing one
   * more task and waking another thread for every step. A step that has ended already (an instant
   * one, skipped, refused before it started) continues on this thread too, through {@link
   * Trampoline}: once the step that ran it has returned, so that a row of them does not deepen the
   * stack. A step ending in error is handed to the executor in any case.
   */
  private void then(CompletableFuture<StepOutcome> step, Consumer<StepOutcome> next) {
    BiConsumer<StepOutcome, Throwable> continuation =
        (outcome, error) -> {
          if (error != null) {
            orchestration.execute(() -> crash(error));
          } else {
            proceed(outcome, null, next);
          }
        };
    if (step.isDone()) {
      Trampoline.run(() -> step.whenComplete(continuation));
    } else {
      step.whenComplete(continuation);
    }
  }

  private void proceed(StepOutcome outcome, Throwable error, Consumer<StepOutcome> next) {
    if (error != null) {
      crash(error);
    } else {
      guarded(() -> next.accept(outcome));
    }
  }

  private void guarded(Runnable work) {
    StepRunner.withMdc(
        state,
        () -> {
          try {
            work.run();
          } catch (RuntimeException | Error e) {
            crash(e);
          }
          return null;
        });
  }

  private void crash(Throwable error) {
    LOG.error("run {} crashed", state.id(), error);
    try {
      RunStatus from = state.record().status() == RunStatus.PENDING ? RunStatus.PENDING : null;
      end(RunStatus.FAILED, "internal error: " + error, Map.of(), false, from);
    } finally {
      finish();
    }
  }

  private int total() {
    return state.intent.steps().size();
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

  /** Releases the lock and reports the end; called exactly once per run. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (locked) {
      durable.run(() -> audit.releaseLock(state.record().lockKey(), state.id()));
      locked = false;
    }
    onEnd.accept(state.record());
  }

  /** Records the end; {@code from} guards the transition for runs that never started. */
  private void end(
      RunStatus status,
      String reason,
      Map<String, Object> outputs,
      boolean rolledBack,
      RunStatus from) {
    if (state.record().status() != null && state.record().status().isTerminal()) {
      return;
    }
    if (from != null && !durable.get(() -> audit.transition(state.id(), from, status, reason))) {
      audit.findRun(state.id()).ifPresent(state::record);
      return;
    }
    String clean = reason == null ? null : state.redactor.redact(reason);
    RunRecord done =
        state.record().finished(status, clock.instant(), state.redactor.redactMap(outputs), clean);
    durable.run(() -> audit.updateRun(done));
    state.record(done);
    durable.run(() -> audit.seal(state.id()));
    LOG.info("run {}{}", status.label(), clean == null ? "" : ": " + clean);
    events.publish(new RunEvent.RunFinished(done, rolledBack));
  }

  /**
   * Runs continuations one after another on this thread without nesting them: the first one runs at
   * once; one started while another runs here waits until it returns. A run's steps follow one
   * another, so at most one waits at a time, and all of them have run before the first call
   * returns.
   */
  static final class Trampoline {
    private static final ThreadLocal<Trampoline> HERE = ThreadLocal.withInitial(Trampoline::new);
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean running;

    static void run(Runnable work) {
      Trampoline here = HERE.get();
      if (here.running) {
        here.waiting.add(work);
        return;
      }
      here.running = true;
      try {
        for (Runnable next = work; next != null; next = here.waiting.poll()) {
          next.run();
        }
      } finally {
        here.running = false;
        here.waiting.clear();
      }
    }
  }
}
