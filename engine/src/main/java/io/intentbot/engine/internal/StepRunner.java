package io.intentbot.engine.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.intentbot.engine.RunEvent;
import io.intentbot.engine.StepStatus;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.StepRecord;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.LibraryStep;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.RetrySpec;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one step of a run: evaluates its {@code if:}, renders its {@code with:}, executes it with
 * its timeout and retries, streams and stores its output, and records every transition. The
 * decoration order, written down once: retry( timeLimiter( execute ) ) - each attempt gets the full
 * timeout, and a timed-out attempt counts as a failed one.
 *
 * <p>Nothing here blocks while a step executes: a blocking step type runs on a step thread, an
 * {@link AsyncStepType} on the timer, and what follows a step (recording it, the next step)
 * continues on the orchestration executor when it completes. A run that waits holds no thread.
 */
final class StepRunner {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");

  private final StepTypeRegistry registry;
  private final IntentCatalog catalog;
  private final IntentbotConfig config;
  private final Expressions expressions;
  private final AuditStore audit;
  private final EventBus events;
  private final ExecutorService stepThreads;
  private final ScheduledExecutorService timer;
  private final Executor orchestration;
  private final Clock clock;
  private final DurableWrites durable;

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
      DurableWrites durable) {
    this.durable = durable;
    this.registry = registry;
    this.catalog = catalog;
    this.config = config;
    this.expressions = expressions;
    this.audit = audit;
    this.events = events;
    this.stepThreads = stepThreads;
    this.timer = timer;
    this.orchestration = orchestration;
    this.clock = clock;
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
    int index = state.stepIndex.getAndIncrement();
    StepRecord record =
        new StepRecord(
            state.id(),
            index,
            stepId,
            phase,
            step.kind(),
            StepStatus.RUNNING,
            clock.instant(),
            null,
            0,
            Map.of(),
            "",
            null);
    if (state.cancelRequested.get()) {
      return done(finish(state, record, StepStatus.CANCELLED, 0, Map.of(), "", "run cancelled"));
    }
    if (step.condition() != null) {
      boolean holds;
      try {
        holds = expressions.test(step.condition(), scope.variables());
      } catch (ExpressionException e) {
        return done(finishStarted(state, record, number, total, StepStatus.FAILED, e.getMessage()));
      }
      if (!holds) {
        scope.recordOutputs(step.id(), Map.of());
        return done(
            finish(
                state,
                record,
                StepStatus.SKIPPED,
                0,
                Map.of(),
                "",
                "if " + step.condition() + " is false"));
      }
    }
    Map<String, Object> rendered;
    try {
      rendered = renderWith(step.with(), scope);
    } catch (ExpressionException | IllegalArgumentException e) {
      return done(finishStarted(state, record, number, total, StepStatus.FAILED, e.getMessage()));
    }
    durable.run(() -> audit.saveStep(record));
    events.publish(new RunEvent.StepStarted(state.record(), record, number, total));
    LOG.info("step {} ({}) started", stepId, step.kind());
    if (step.uses() != null) {
      return runLibrary(state, step, record, rendered, phase, scope, stepId);
    }
    StepType type = registry.find(step.type()).orElseThrow();
    if (state.readOnly && !type.pure()) {
      return done(
          finish(
              state,
              record,
              StepStatus.FAILED,
              0,
              Map.of(),
              "",
              "the run is read-only (read_only_if: "
                  + state.intent.readOnlyIf()
                  + ") but "
                  + type.name()
                  + " can change things; the intent must skip this step then"));
    }
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
              events.publish(
                  new RunEvent.OutputLine(state.record(), record, clean, clock.instant()));
            });
    AtomicInteger attempts = new AtomicInteger();
    return execute(state, step, type, StepInput.of(rendered), context, attempts)
        .thenApplyAsync(
            result ->
                withMdc(
                    state,
                    () -> {
                      scope.recordOutputs(step.id(), result.outputs());
                      StepStatus status =
                          result.success()
                              ? StepStatus.SUCCEEDED
                              : state.cancelRequested.get()
                                  ? StepStatus.CANCELLED
                                  : StepStatus.FAILED;
                      return finish(
                          state,
                          record,
                          status,
                          attempts.get(),
                          result.outputs(),
                          buffer.text(),
                          result.success() ? null : result.reason());
                    }),
            orchestration);
  }

  private Map<String, Object> renderWith(Map<String, Object> with, RunScope scope) {
    Object rendered = expressions.renderDeep(with, scope.variables());
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) rendered;
    return map;
  }

  private CompletableFuture<StepResult> execute(
      RunState state,
      StepDefinition step,
      StepType type,
      StepInput input,
      EngineStepContext context,
      AtomicInteger attempts) {
    RetrySpec spec = step.retry();
    Retry retry =
        Retry.of(
            state.id() + "/" + context.stepId(),
            RetryConfig.<StepResult>custom()
                .maxAttempts(spec.attempts())
                .intervalFunction(backoff(spec))
                .retryOnResult(r -> r.failed() && !state.cancelRequested.get())
                .retryOnException(e -> false)
                .failAfterMaxAttempts(false)
                .build());
    return retry
        .executeCompletionStage(
            timer,
            () ->
                attempt(state, step, type, input, context, attempts)
                    .thenApply(
                        result -> {
                          if (result.failed()
                              && attempts.get() < spec.attempts()
                              && !state.cancelRequested.get()) {
                            context
                                .output()
                                .line(
                                    "attempt "
                                        + attempts.get()
                                        + " of "
                                        + spec.attempts()
                                        + " failed: "
                                        + result.reason()
                                        + "; trying again");
                          }
                          return result;
                        }))
        .toCompletableFuture()
        .exceptionally(
            e ->
                state.cancelRequested.get()
                    ? cancelled(state)
                    : StepResult.failed("step could not run: " + unwrap(e)));
  }

  /** One attempt: never completes exceptionally, failures are results. */
  private CompletableFuture<StepResult> attempt(
      RunState state,
      StepDefinition step,
      StepType type,
      StepInput input,
      EngineStepContext context,
      AtomicInteger attempts) {
    attempts.incrementAndGet();
    if (state.cancelRequested.get()) {
      return CompletableFuture.completedFuture(cancelled(state));
    }
    CompletableFuture<StepResult> running = start(state, type, input, context);
    state.currentStep(running);
    CompletableFuture<StepResult> limited = running;
    if (step.timeout() != null) {
      TimeLimiter limiter =
          TimeLimiter.of(
              TimeLimiterConfig.custom()
                  .timeoutDuration(step.timeout())
                  .cancelRunningFuture(true)
                  .build());
      limited = limiter.executeCompletionStage(timer, () -> running).toCompletableFuture();
    }
    return limited.handle(
        (result, error) -> {
          state.currentStep(null);
          if (error == null) {
            return result;
          }
          Throwable cause = unwrap(error);
          if (cause instanceof TimeoutException) {
            running.cancel(true);
            return StepResult.failed("timed out after " + Durations.format(step.timeout()));
          }
          if (cause instanceof CancellationException || cause instanceof InterruptedException) {
            return cancelled(state);
          }
          LOG.warn("step {} threw", context.stepId(), cause);
          return StepResult.failed(
              type.name()
                  + " failed: "
                  + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        });
  }

  /**
   * Starts the step type: on the timer for an {@link AsyncStepType}, else on a step thread.
   * Cancelling the returned future interrupts that thread.
   */
  private CompletableFuture<StepResult> start(
      RunState state, StepType type, StepInput input, EngineStepContext context) {
    if (type instanceof AsyncStepType async) {
      try {
        return async.executeAsync(input, context, timer);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
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
          if (result.isCancelled()) {
            task.cancel(true);
          }
        });
    return result;
  }

  private CompletableFuture<StepOutcome> runLibrary(
      RunState state,
      StepDefinition step,
      StepRecord record,
      Map<String, Object> rendered,
      String phase,
      RunScope scope,
      String stepId) {
    LibraryStep lib = catalog.libraryStep(step.uses()).orElseThrow();
    Map<String, Object> params = new LinkedHashMap<>();
    for (ParameterDefinition p : lib.parameters()) {
      params.put(
          p.name(), rendered.containsKey(p.name()) ? rendered.get(p.name()) : p.defaultValue());
    }
    RunScope child = scope.child(params);
    try {
      for (ParameterDefinition p : lib.parameters()) {
        if (p.defaultExpression() != null && params.get(p.name()) == null) {
          child.putParam(p.name(), expressions.render(p.defaultExpression(), child.variables()));
        }
      }
    } catch (ExpressionException e) {
      return done(
          finish(
              state,
              record,
              StepStatus.FAILED,
              1,
              Map.of(),
              "",
              "lib/" + lib.name() + ": " + e.getMessage()));
    }
    return runInner(state, step, record, lib, lib.steps(), 0, phase, scope, child, stepId);
  }

  private CompletableFuture<StepOutcome> runInner(
      RunState state,
      StepDefinition step,
      StepRecord record,
      LibraryStep lib,
      List<StepDefinition> inner,
      int at,
      String phase,
      RunScope scope,
      RunScope child,
      String stepId) {
    if (at == inner.size()) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      try {
        lib.outputs()
            .forEach(
                (name, template) ->
                    outputs.put(name, expressions.render(template, child.variables())));
      } catch (ExpressionException e) {
        return done(
            finish(
                state,
                record,
                StepStatus.FAILED,
                1,
                Map.of(),
                "",
                "lib/" + lib.name() + " outputs: " + e.getMessage()));
      }
      scope.recordOutputs(step.id(), outputs);
      return done(finish(state, record, StepStatus.SUCCEEDED, 1, outputs, "", null));
    }
    StepDefinition next = inner.get(at);
    return run(state, next, phase, 0, 0, child, stepId + ".")
        .thenComposeAsync(
            outcome ->
                withMdc(
                    state,
                    () -> {
                      if ((outcome.failed() && !next.continueOnError()) || outcome.cancelled()) {
                        scope.recordOutputs(step.id(), Map.of());
                        return done(
                            finish(
                                state,
                                record,
                                outcome.status(),
                                1,
                                Map.of(),
                                "",
                                "lib/"
                                    + lib.name()
                                    + " step '"
                                    + next.id()
                                    + "' "
                                    + outcome.status().label()
                                    + ": "
                                    + outcome.reason()));
                      }
                      return runInner(
                          state, step, record, lib, inner, at + 1, phase, scope, child, stepId);
                    }),
            orchestration);
  }

  private StepOutcome finishStarted(
      RunState state, StepRecord record, int number, int total, StepStatus status, String reason) {
    durable.run(() -> audit.saveStep(record));
    events.publish(new RunEvent.StepStarted(state.record(), record, number, total));
    return finish(state, record, status, 0, Map.of(), "", reason);
  }

  private StepOutcome finish(
      RunState state,
      StepRecord started,
      StepStatus status,
      int attempts,
      Map<String, Object> outputs,
      String text,
      String reason) {
    StepRecord done =
        new StepRecord(
            started.runId(),
            started.index(),
            started.stepId(),
            started.phase(),
            started.type(),
            status,
            started.startedAt(),
            clock.instant(),
            attempts,
            state.redactor.redactMap(outputs),
            text,
            reason == null ? null : state.redactor.redact(reason));
    durable.run(() -> audit.saveStep(done));
    events.publish(new RunEvent.StepFinished(state.record(), done));
    LOG.info(
        "step {} {} in {} ms{}",
        done.stepId(),
        status.label(),
        done.durationMillis(),
        done.reason() == null ? "" : ": " + done.reason());
    return new StepOutcome(done.stepId(), status, done.reason());
  }

  private static CompletableFuture<StepOutcome> done(StepOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  private static StepResult cancelled(RunState state) {
    return StepResult.failed("cancelled by " + state.cancelledBy());
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Runs {@code work} with the run's id in the logging context of the current thread. */
  static <T> T withMdc(RunState state, java.util.function.Supplier<T> work) {
    MDC.put("run_id", state.id());
    MDC.put("intent", state.intent.name());
    try {
      return work.get();
    } finally {
      MDC.remove("intent");
      MDC.remove("run_id");
    }
  }

  private static IntervalFunction backoff(RetrySpec spec) {
    long first = Math.max(1, spec.backoff().toMillis());
    long max = Math.max(first, spec.maxBackoff().toMillis());
    return IntervalFunction.of(first, previous -> Math.min(previous * 2, max));
  }
}
