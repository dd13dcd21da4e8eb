package io.intentbot.engine.internal;

import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.LibraryStep;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs a {@code uses: lib/NAME} step: binds the library step's parameters (defaults, computed
 * defaults) in a child scope, runs its steps in order as {@code stepId.inner}, and renders its
 * outputs into the calling scope. The first inner step that fails (without {@code
 * continue_on_error}) or is cancelled ends it with that status.
 */
final class LibraryStepRunner {

  /** Runs one inner step; the step runner, passed in so that library steps may nest. */
  @FunctionalInterface
  interface Inner {
    CompletableFuture<StepOutcome> run(
        RunState state, StepDefinition step, String phase, RunScope scope, String idPrefix);
  }

  private final IntentCatalog catalog;
  private final Expressions expressions;
  private final StepJournal journal;
  private final Executor orchestration;

  LibraryStepRunner(
      IntentCatalog catalog, Expressions expressions, StepJournal journal, Executor orchestration) {
    this.catalog = catalog;
    this.expressions = expressions;
    this.journal = journal;
    this.orchestration = orchestration;
  }

  CompletableFuture<StepOutcome> run(
      RunState state,
      StepDefinition step,
      StepRecord record,
      Map<String, Object> rendered,
      String phase,
      RunScope scope,
      String stepId,
      Inner inner) {
    LibraryStep lib = catalog.libraryStep(step.uses()).orElseThrow();
    Map<String, Object> params = new LinkedHashMap<>();
    for (ParameterDefinition p : lib.parameters()) {
      params.put(
          p.name(), rendered.containsKey(p.name()) ? rendered.get(p.name()) : p.defaultValue());
    }
    RunScope child = scope.child(params);
    child.declare(lib.steps());
    try {
      for (ParameterDefinition p : lib.parameters()) {
        if (p.defaultExpression() != null && params.get(p.name()) == null) {
          child.putParam(p.name(), expressions.render(p.defaultExpression(), child.variables()));
        }
      }
    } catch (ExpressionException e) {
      scope.record(step.id(), StepStatus.FAILED, Map.of());
      return failed(state, record, "lib/" + lib.name() + ": " + e.getMessage());
    }
    return next(
        new Call(state, step, record, lib, phase, scope, child, stepId, inner), lib.steps(), 0);
  }

  /** One library call in progress. */
  private record Call(
      RunState state,
      StepDefinition step,
      StepRecord record,
      LibraryStep lib,
      String phase,
      RunScope scope,
      RunScope child,
      String stepId,
      Inner inner) {}

  private CompletableFuture<StepOutcome> next(Call call, List<StepDefinition> steps, int at) {
    if (at == steps.size()) {
      return outputs(call);
    }
    StepDefinition next = steps.get(at);
    return call.inner()
        .run(call.state(), next, call.phase(), call.child(), call.stepId() + ".")
        .thenComposeAsync(
            outcome ->
                StepRunner.withMdc(
                    call.state(),
                    () -> {
                      if ((outcome.failed() && !next.continueOnError()) || outcome.cancelled()) {
                        call.scope().record(call.step().id(), outcome.status(), Map.of());
                        return CompletableFuture.completedFuture(
                            journal.finished(
                                call.state(),
                                call.record(),
                                outcome.status(),
                                1,
                                Map.of(),
                                "",
                                "lib/"
                                    + call.lib().name()
                                    + " step '"
                                    + next.id()
                                    + "' "
                                    + outcome.status().label()
                                    + ": "
                                    + outcome.reason()));
                      }
                      return next(call, steps, at + 1);
                    }),
            orchestration);
  }

  private CompletableFuture<StepOutcome> outputs(Call call) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    try {
      call.lib()
          .outputs()
          .forEach(
              (name, template) ->
                  outputs.put(name, expressions.render(template, call.child().variables())));
    } catch (ExpressionException e) {
      call.scope().record(call.step().id(), StepStatus.FAILED, Map.of());
      return failed(
          call.state(), call.record(), "lib/" + call.lib().name() + " outputs: " + e.getMessage());
    }
    call.scope().record(call.step().id(), StepStatus.SUCCEEDED, outputs);
    return CompletableFuture.completedFuture(
        journal.finished(call.state(), call.record(), StepStatus.SUCCEEDED, 1, outputs, "", null));
  }

  private CompletableFuture<StepOutcome> failed(RunState state, StepRecord record, String reason) {
    return CompletableFuture.completedFuture(
        journal.finished(state, record, StepStatus.FAILED, 1, Map.of(), "", reason));
  }
}
