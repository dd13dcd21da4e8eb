package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one step of a run: its guards ({@code if:}, read-only runs), its rendered {@code with:},
 * then either a library step ({@link LibraryStepRunner}) or its step type under its retries and
 * timeout ({@link StepAttempts}), every transition recorded by the {@link StepJournal}.
 *
 * <p>Nothing here blocks while a step executes: a blocking step type runs on a step thread, an
 * {@link AsyncStepType} on the timer, and what follows a step (recording it, the next step)
 * continues on the orchestration executor when it completes. A run that waits holds no thread. An
 * {@linkplain StepType#instant() instant} step (it only computes) runs and is recorded on the
 * orchestration thread that started it, with no hop. How each kind of step is written to the audit
 * store is {@link StepJournal}'s rule.
 */
final class StepRunner {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");

  private final StepTypeRegistry registry;
  private final IntentCatalog catalog;
  private final IntentbotConfig config;
  private final Expressions expressions;
  private final ExecutorService stepThreads;
  private final ScheduledExecutorService timer;
  private final Executor orchestration;
  private final Clock clock;
  private final StepJournal journal;
  private final StepAttempts attempts;
  private final LibraryStepRunner library;
  private final StepGuards guards;
  private final StepSlots slots;

  StepRunner(
      StepTypeRegistry registry,
      IntentCatalog catalog,
      IntentbotConfig config,
      Expressions expressions,
      AuditStore audit,
      EventBus events,
      ExecutorService stepThreads,
      ScheduledExecutorService timer,
      Executor orchestration,
      Clock clock,
      DurableWrites durable,
      StepSlots slots) {
    this.slots = slots;
    this.registry = registry;
    this.catalog = catalog;
    this.config = config;
    this.expressions = expressions;
    this.stepThreads = stepThreads;
    this.timer = timer;
    this.orchestration = orchestration;
    this.clock = clock;
    this.journal = new StepJournal(audit, events, clock, durable);
    this.attempts = new StepAttempts(timer);
    this.library = new LibraryStepRunner(catalog, expressions, journal, orchestration);
    this.guards = new StepGuards(expressions);
  }

  /**
   * Starts {@code step} in {@code scope}; {@code number} is 1-based among main steps, else 0. The
   * future completes on the orchestration executor once the step is recorded as ended.
   */
  CompletableFuture<StepOutcome> run(
      RunState state,
      StepDefinition step,
      String phase,
      int number,
      int total,
      RunScope scope,
      String idPrefix) {
    String stepId = idPrefix + step.id();
    StepRecord record = journal.draft(state, stepId, phase, step.kind());
    Optional<StepGuards.Stop> stop = guards.before(state, step, scope);
    if (stop.isPresent()) {
      if (stop.get().status() != StepStatus.CANCELLED) {
        scope.record(step.id(), stop.get().status(), Map.of()); // a cancelled run never ran it
      }
      return done(stopped(state, record, number, total, stop.get()));
    }
    Map<String, Object> rendered;
    try {
      rendered = renderWith(step.with(), scope);
    } catch (ExpressionException | IllegalArgumentException e) {
      scope.record(step.id(), StepStatus.FAILED, Map.of());
      return done(
          journal.failedAtStart(state, record, number, total, StepStatus.FAILED, e.getMessage()));
    }
    if (step.uses() != null) {
      journal.started(state, record, number, total);
      LOG.info("step {} ({}) started", stepId, step.kind());
      return library.run(
          state,
          step,
          record,
          rendered,
          phase,
          scope,
          stepId,
          (s, inner, p, childScope, prefix) -> run(s, inner, p, 0, 0, childScope, prefix));
    }
    StepType type = registry.find(step.type()).orElseThrow();
    Optional<StepGuards.Stop> readOnly = StepGuards.readOnly(state, type);
    if (readOnly.isPresent()) {
      scope.record(step.id(), readOnly.get().status(), Map.of());
      return done(stopped(state, record, number, total, readOnly.get()));
    }
    if (type.instant()) {
      journal.announced(state, record, number, total);
    } else {
      journal.started(state, record, number, total);
    }
    LOG.info("step {} ({}) started", stepId, step.kind());
    return execute(state, step, type, record, StepInput.of(rendered), scope, stepId);
  }

  private CompletableFuture<StepOutcome> execute(
      RunState state,
      StepDefinition step,
      StepType type,
      StepRecord started,
      StepInput input,
      RunScope scope,
      String stepId) {
    OutputBuffer buffer = new OutputBuffer();
    EngineStepContext context =
        new EngineStepContext(
            state,
            stepId,
            false,
            config,
            catalog.dir(),
            line -> {
              String clean = state.redactor.redact(line);
              buffer.append(clean);
              if (type.instant()) {
                journal.outputOnRunThread(state, started, clean);
              } else {
                journal.output(state, started, clean);
              }
            },
            clock);
    Optional<StepGuards.Stop> changed = StepGuards.filesAsPlanned(state, type, input, context);
    if (changed.isPresent()) {
      scope.record(step.id(), changed.get().status(), Map.of());
      return CompletableFuture.completedFuture(
          journal.finished(
              state, started, changed.get().status(), 0, Map.of(), "", changed.get().reason()));
    }
    Supplier<CompletableFuture<StepAttempts.Attempted>> attempt =
        () ->
            attempts.run(
                state,
                stepId,
                type.name(),
                step.retry(),
                step.timeout(),
                () -> launch(state, type, input, context),
                line -> context.output().line(line));
    // A step on a thread of its own waits for a slot (limits.processes), holding no thread.
    CompletableFuture<StepAttempts.Attempted> attempted =
        type.instant() || type instanceof AsyncStepType
            ? attempt.get()
            : slots.run(state, () -> context.output().line(slots.waitingNote()), attempt);
    Function<StepAttempts.Attempted, StepOutcome> record =
        ended -> withMdc(state, () -> finished(state, step, started, scope, buffer, ended));
    // An instant step has ended already, on this (an orchestration) thread: record it here.
    return attempted.isDone()
        ? attempted.thenApply(record)
        : attempted.thenApplyAsync(record, orchestration);
  }

  private StepOutcome finished(
      RunState state,
      StepDefinition step,
      StepRecord started,
      RunScope scope,
      OutputBuffer buffer,
      StepAttempts.Attempted attempted) {
    StepResult result = attempted.result();
    StepStatus status =
        result.success()
            ? StepStatus.SUCCEEDED
            : state.cancelRequested.get() ? StepStatus.CANCELLED : StepStatus.FAILED;
    scope.record(step.id(), status, result.outputs());
    return journal.finished(
        state,
        started,
        status,
        attempted.attempts(),
        result.outputs(),
        buffer.text(),
        result.success() ? null : result.reason());
  }

  private StepOutcome stopped(
      RunState state, StepRecord record, int number, int total, StepGuards.Stop stop) {
    return stop.shown()
        ? journal.failedAtStart(state, record, number, total, stop.status(), stop.reason())
        : journal.finished(state, record, stop.status(), 0, Map.of(), "", stop.reason());
  }

  private Map<String, Object> renderWith(Map<String, Object> with, RunScope scope) {
    Object rendered = expressions.renderDeep(with, scope.variables());
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) rendered;
    return map;
  }

  /**
   * Starts one attempt of the step type: on the timer for an {@link AsyncStepType}, on this thread
   * for an {@linkplain StepType#instant() instant} one (it only computes: a hop to a step thread
   * and back would cost more than the step), else on a step thread. Completing the returned future
   * otherwise than with a result (cancelled, or timed out by the time limiter, which completes it
   * with a {@code TimeoutException}) interrupts that thread.
   */
  private CompletableFuture<StepResult> launch(
      RunState state, StepType type, StepInput input, EngineStepContext context) {
    if (type instanceof AsyncStepType async) {
      try {
        return async.executeAsync(input, context, timer);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (type.instant()) {
      MDC.put("step_id", context.stepId());
      try {
        return CompletableFuture.completedFuture(type.execute(input, context));
      } catch (InterruptedException e) {
        // Not re-interrupted: this is the run's orchestration thread, and the failure says it.
        return CompletableFuture.failedFuture(e);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      } finally {
        MDC.remove("step_id");
      }
    }
    CompletableFuture<StepResult> result = new CompletableFuture<>();
    Future<?> task =
        stepThreads.submit(
            () -> {
              MDC.put("run_id", state.id());
              MDC.put("step_id", context.stepId());
              try {
                result.complete(type.execute(input, context));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              } finally {
                MDC.remove("step_id");
                MDC.remove("run_id");
              }
            });
    result.whenComplete(
        (r, e) -> {
          if (e != null) {
            task.cancel(true);
          }
        });
    return result;
  }

  private static CompletableFuture<StepOutcome> done(StepOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  /** Runs {@code work} with the run's id in the logging context of the current thread. */
  static <T> T withMdc(RunState state, Supplier<T> work) {
    MDC.put("run_id", state.id());
    MDC.put("intent", state.intent.name());
    try {
      return work.get();
    } finally {
      MDC.remove("intent");
      MDC.remove("run_id");
    }
  }
}
