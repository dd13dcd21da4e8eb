package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.params.BoundParameters;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable state of one run in this process: its record, scope, redactor, current step. */
final class RunState {

  final IntentDefinition intent;
  final BoundParameters parameters;
  final EnvironmentConfig environment;
  final String app;
  final Redactor redactor;
  final RunScope scope;
  final Plan plan;

  /** What the plan was computed from (its hash binds them), or null before planning. */
  final PlanInputs inputs;

  /** The intent's {@code read_only_if} holds for these parameters: no approval, no changes. */
  final boolean readOnly;

  final AtomicInteger stepIndex = new AtomicInteger();
  final AtomicBoolean cancelRequested = new AtomicBoolean();
  private volatile RunRecord record;
  private volatile Future<?> currentStep;
  private volatile String cancelledBy;
  private final CompletableFuture<String> cancellation = new CompletableFuture<>();

  RunState(
      RunRecord record,
      IntentDefinition intent,
      BoundParameters parameters,
      EnvironmentConfig environment,
      String app,
      Redactor redactor,
      RunScope scope,
      Plan plan,
      PlanInputs inputs,
      boolean readOnly) {
    this.record = record;
    this.intent = intent;
    this.parameters = parameters;
    this.environment = environment;
    this.app = app;
    this.redactor = redactor;
    this.scope = scope;
    this.plan = plan;
    this.inputs = inputs;
    this.readOnly = readOnly;
  }

  RunRecord record() {
    return record;
  }

  void record(RunRecord updated) {
    this.record = updated;
  }

  String id() {
    return record.id();
  }

  void currentStep(Future<?> future) {
    this.currentStep = future;
  }

  String cancelledBy() {
    return cancelledBy;
  }

  /** Completes with who cancelled, when the run is asked to stop; a signal, nobody polls it. */
  CompletableFuture<String> cancellation() {
    return cancellation;
  }

  /**
   * Asks the run to stop: the step in progress is interrupted (its own thread, never the run's, so
   * audit writes are not disturbed); a run waiting for its lock is told through {@link
   * #cancellation()} and stops at once.
   */
  void cancel(String user) {
    cancelledBy = user;
    cancelRequested.set(true);
    Future<?> step = currentStep;
    if (step != null) {
      step.cancel(true);
    }
    cancellation.complete(user);
  }
}
