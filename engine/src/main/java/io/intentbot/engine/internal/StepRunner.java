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
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of a run: evaluates its {@code if:}, renders its {@code with:}, executes it with
 * its timeout and retries, streams and stores its output, and records every transition. The
 * decoration order, written down once: retry( timeLimiter( execute ) ) - each attempt gets the full
 * timeout, and a timed-out attempt counts as a failed one.
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
  private final Clock clock;

  StepRunner(
      StepTypeRegistry registry,
      IntentCatalog catalog,
      IntentbotConfig config,
      Expressions expressions,
      AuditStore audit,
      EventBus events,
      ExecutorService stepThreads,
      Clock clock) {
    this.registry = registry;
    this.catalog = catalog;
    this.config = config;
    this.expressions = expressions;
    this.audit = audit;
    this.events = events;
    this.stepThreads = stepThreads;
    this.clock = clock;
  }

  /** Runs {@code step} in {@code scope}; {@code number} is 1-based among main steps, else 0. */
  StepOutcome run(
      RunState state,
      StepDefinition step,
      String phase,
      int number,
      int total,
      RunScope scope,
      String idPrefix) {
    String stepId = idPrefix + step.id();
    int index = state.stepIndex.getAndIncrement();
    Instant started = clock.instant();
    StepRecord record =
        new StepRecord(
            state.id(),
            index,
            stepId,
            phase,
            step.kind(),
            StepStatus.RUNNING,
            started,
            null,
            0,
            Map.of(),
            "",
            null);
    if (state.cancelRequested.get()) {
      return finish(state, record, StepStatus.CANCELLED, 0, Map.of(), "", "run cancelled");
    }
    if (step.condition() != null) {
      boolean holds;
      try {
        holds = expressions.test(step.condition(), scope.variables());
      } catch (ExpressionException e) {
        return finishStarted(state, record, number, total, StepStatus.FAILED, e.getMessage());
      }
      if (!holds) {
        scope.recordOutputs(step.id(), Map.of());
        return finish(
            state,
            record,
            StepStatus.SKIPPED,
            0,
            Map.of(),
            "",
            "skipped: if " + step.condition() + " is false");
      }
    }
    Map<String, Object> rendered;
    try {
      rendered = renderWith(step.with(), scope);
    } catch (ExpressionException | IllegalArgumentException e) {
      return finishStarted(state, record, number, total, StepStatus.FAILED, e.getMessage());
    }
    audit.saveStep(record);
    events.publish(new RunEvent.StepStarted(state.record(), record, number, total));
    LOG.info("step {} ({}) started", stepId, step.kind());
    if (step.uses() != null) {
      return runLibrary(state, step, record, rendered, phase, scope, stepId);
    }
    StepType type = registry.find(step.type()).orElseThrow();
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
    StepResult result = execute(state, step, type, StepInput.of(rendered), context, attempts);
    scope.recordOutputs(step.id(), result.outputs());
    StepStatus status =
        result.success()
            ? StepStatus.SUCCEEDED
            : state.cancelRequested.get() ? StepStatus.CANCELLED : StepStatus.FAILED;
    return finish(
        state,
        record,
        status,
        attempts.get(),
        result.outputs(),
        buffer.text(),
        result.success() ? null : result.reason());
  }

  private Map<String, Object> renderWith(Map<String, Object> with, RunScope scope) {
    Object rendered = expressions.renderDeep(with, scope.variables());
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) rendered;
    return map;
  }

  private StepResult execute(
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
    try {
      return retry.executeCallable(
          () -> {
            StepResult result = attempt(state, step, type, input, context, attempts);
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
          });
    } catch (Exception e) {
      return state.cancelRequested.get()
          ? StepResult.failed("cancelled by " + state.cancelledBy())
          : StepResult.failed("step could not run: " + e);
    }
  }

  private StepResult attempt(
      RunState state,
      StepDefinition step,
      StepType type,
      StepInput input,
      EngineStepContext context,
      AtomicInteger attempts) {
    attempts.incrementAndGet();
    if (state.cancelRequested.get()) {
      return StepResult.failed("cancelled by " + state.cancelledBy());
    }
    java.util.function.Supplier<Future<StepResult>> submit =
        () -> {
          Future<StepResult> future =
              stepThreads.submit(
                  () -> {
                    org.slf4j.MDC.put("run_id", state.id());
                    org.slf4j.MDC.put("step_id", context.stepId());
                    try {
                      return type.execute(input, context);
                    } finally {
                      org.slf4j.MDC.remove("step_id");
                      org.slf4j.MDC.remove("run_id");
                    }
                  });
          state.currentStep(future);
          return future;
        };
    try {
      if (step.timeout() == null) {
        return submit.get().get();
      }
      TimeLimiter limiter =
          TimeLimiter.of(
              TimeLimiterConfig.custom()
                  .timeoutDuration(step.timeout())
                  .cancelRunningFuture(true)
                  .build());
      return limiter.executeFutureSupplier(submit);
    } catch (TimeoutException e) {
      return StepResult.failed("timed out after " + Durations.format(step.timeout()));
    } catch (CancellationException | InterruptedException e) {
      return StepResult.failed("cancelled by " + state.cancelledBy());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException) {
        return StepResult.failed("cancelled by " + state.cancelledBy());
      }
      LOG.warn("step {} threw", context.stepId(), cause);
      return StepResult.failed(
          type.name()
              + " failed: "
              + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    } catch (Exception e) {
      return StepResult.failed(type.name() + " failed: " + e);
    } finally {
      state.currentStep(null);
    }
  }

  private StepOutcome runLibrary(
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
      Object value = rendered.containsKey(p.name()) ? rendered.get(p.name()) : p.defaultValue();
      params.put(p.name(), value);
    }
    RunScope child = scope.child(params);
    for (ParameterDefinition p : lib.parameters()) {
      if (p.defaultExpression() != null && params.get(p.name()) == null) {
        child.putParam(p.name(), expressions.render(p.defaultExpression(), child.variables()));
      }
    }
    for (StepDefinition inner : lib.steps()) {
      StepOutcome outcome = run(state, inner, phase, 0, 0, child, stepId + ".");
      if ((outcome.failed() && !inner.continueOnError()) || outcome.cancelled()) {
        scope.recordOutputs(step.id(), Map.of());
        return finish(
            state,
            record,
            outcome.status(),
            1,
            Map.of(),
            "",
            "lib/"
                + lib.name()
                + " step '"
                + inner.id()
                + "' "
                + outcome.status().label()
                + ": "
                + outcome.reason());
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    try {
      lib.outputs()
          .forEach(
              (name, template) ->
                  outputs.put(name, expressions.render(template, child.variables())));
    } catch (ExpressionException e) {
      return finish(
          state,
          record,
          StepStatus.FAILED,
          1,
          Map.of(),
          "",
          "lib/" + lib.name() + " outputs: " + e.getMessage());
    }
    scope.recordOutputs(step.id(), outputs);
    return finish(state, record, StepStatus.SUCCEEDED, 1, outputs, "", null);
  }

  private StepOutcome finishStarted(
      RunState state, StepRecord record, int number, int total, StepStatus status, String reason) {
    audit.saveStep(record);
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
    audit.saveStep(done);
    events.publish(new RunEvent.StepFinished(state.record(), done));
    LOG.info(
        "step {} {} in {} ms{}",
        done.stepId(),
        status.label(),
        done.durationMillis(),
        done.reason() == null ? "" : ": " + done.reason());
    return new StepOutcome(done.stepId(), status, done.reason());
  }

  private static IntervalFunction backoff(RetrySpec spec) {
    long first = Math.max(1, spec.backoff().toMillis());
    long max = Math.max(first, spec.maxBackoff().toMillis());
    return IntervalFunction.of(first, previous -> Math.min(previous * 2, max));
  }

  static Duration since(Instant start, Clock clock) {
    return Duration.between(start, clock.instant());
  }
}
