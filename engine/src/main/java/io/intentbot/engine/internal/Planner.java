package io.intentbot.engine.internal;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.LibraryStep;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.ParameterType;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.FailedRead;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes what a run would do, step by step, without doing it. Pure steps ({@code set}) are
 * executed so later descriptions can show real values; anything not known before the run shows as
 * {@code ⟨expression⟩}.
 */
final class Planner {

  private final StepTypeRegistry registry;
  private final IntentCatalog catalog;
  private final IntentbotConfig config;
  private final Expressions expressions;
  private final Clock clock;

  Planner(
      StepTypeRegistry registry,
      IntentCatalog catalog,
      IntentbotConfig config,
      Expressions expressions,
      Clock clock) {
    this.registry = registry;
    this.catalog = catalog;
    this.config = config;
    this.expressions = expressions;
    this.clock = clock;
  }

  /** A plan and what it was computed from; the plan's hash is {@code inputs.hash()}. */
  record Planned(Plan plan, PlanInputs inputs) {}

  /**
   * Plans every step and collects the plan's inputs (see {@link PlanInputs}). A step whose fully
   * known input its step type rejects (an unknown datasource, a value of the wrong shape) cannot
   * succeed, nor can a step whose files cannot be read: its message goes to {@code invalid}.
   */
  Planned plan(RunState state, List<String> invalid) {
    RunScope scope = state.scope.child(state.scope.params());
    scope.declare(state.intent.prereqs());
    scope.declare(state.intent.steps());
    scope.declare(state.intent.onFailure());
    Walk walk = new Walk(state, invalid, new PlanUnknowns());
    PlanInputs.Builder inputs = new PlanInputs.Builder(catalog.dir());
    inputs.intent(state.intent).parameters(state.parameters.display());
    for (ParameterDefinition p : state.intent.parameters()) {
      Object value = state.parameters.values().get(p.name());
      if (p.type() == ParameterType.ENVIRONMENT && value != null) {
        EnvironmentConfig environment = config.environments().get(String.valueOf(value));
        if (environment != null) {
          inputs.environment(environment);
        }
      }
    }
    List<Plan.PlannedStep> steps = new ArrayList<>();
    java.util.Set<String> datasources = new java.util.LinkedHashSet<>();
    describe(walk, state.intent.prereqs(), "prereq", scope, "", steps, inputs, datasources);
    describe(walk, state.intent.steps(), "main", scope, "", steps, inputs, datasources);
    // on_failure runs after some step failed, which one is not known before the run.
    java.util.stream.Stream.concat(state.intent.prereqs().stream(), state.intent.steps().stream())
        .forEach(step -> walk.unknown().add("steps", step.id(), "status"));
    describe(walk, state.intent.onFailure(), "on_failure", scope, "", steps, inputs, datasources);
    PlanInputs bound = inputs.build();
    Plan plan =
        new Plan(
            state.intent.name(),
            state.parameters.display(),
            state.environment == null ? null : state.environment.name(),
            steps,
            bound.hash(),
            List.copyOf(datasources),
            walk.failedReads);
    return new Planned(plan, bound);
  }

  /**
   * One planning pass: the run, where invalid inputs go, the reads that failed, and what the
   * current scope does not know (each library call gets its own {@link PlanUnknowns}).
   */
  private record Walk(
      RunState state, List<String> invalid, List<FailedRead> failedReads, PlanUnknowns unknown) {
    Walk(RunState state, List<String> invalid, PlanUnknowns unknown) {
      this(state, invalid, new ArrayList<>(), unknown);
    }

    Walk in(PlanUnknowns scope) {
      return new Walk(state, invalid, failedReads, scope);
    }
  }

  private void describe(
      Walk walk,
      List<StepDefinition> definitions,
      String phase,
      RunScope scope,
      String prefix,
      List<Plan.PlannedStep> out,
      PlanInputs.Builder inputs,
      java.util.Set<String> datasources) {
    RunState state = walk.state();
    PlanUnknowns unknown = walk.unknown();
    for (StepDefinition step : definitions) {
      Map<String, Object> variables = unknown.strip(scope.variables());
      String condition = conditionText(step, variables);
      if ("false".equals(condition)) {
        out.add(
            planned(
                state,
                prefix + step.id(),
                phase,
                step,
                "skipped: if " + step.condition() + " is false",
                List.of(),
                null));
        scope.record(step.id(), StepStatus.SKIPPED, Map.of());
        continue;
      }
      if (condition != null) {
        // Whether it runs is not known before the run, so neither is what it leaves.
        unknown.add("steps", step.id());
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> with =
          (Map<String, Object>) expressions.renderLenient(step.with(), variables);
      if (step.uses() != null) {
        LibraryStep lib = catalog.libraryStep(step.uses()).orElseThrow();
        inputs.library(lib);
        Map<String, Object> params = new LinkedHashMap<>();
        PlanUnknowns inLibrary = new PlanUnknowns();
        for (ParameterDefinition p : lib.parameters()) {
          Object value = with.containsKey(p.name()) ? with.get(p.name()) : p.defaultValue();
          params.put(p.name(), value);
          if (Expressions.hasPlaceholder(value)) {
            inLibrary.add("params", p.name());
          }
        }
        RunScope child = scope.child(params);
        child.declare(lib.steps());
        List<Plan.PlannedStep> inner = new ArrayList<>();
        describe(
            walk.in(inLibrary),
            lib.steps(),
            phase,
            child,
            prefix + step.id() + ".",
            inner,
            inputs,
            datasources);
        List<String> details = new ArrayList<>();
        inner.forEach(i -> details.add(i.id() + ": " + i.summary()));
        Map<String, Object> outputs = new LinkedHashMap<>();
        lib.outputs()
            .forEach(
                (name, template) -> {
                  Object value =
                      expressions.renderLenient(template, inLibrary.strip(child.variables()));
                  outputs.put(name, value);
                  if (Expressions.hasPlaceholder(value)) {
                    unknown.add("steps", step.id(), "outputs", name);
                  }
                });
        if (inLibrary.anyStep()) {
          unknown.add("steps", step.id(), "status");
        }
        addOutputs(details, outputs);
        String summary =
            "uses lib/"
                + lib.name()
                + (lib.description() == null ? "" : " (" + lib.description() + ")");
        out.add(planned(state, prefix + step.id(), phase, step, summary, details, condition));
        scope.record(step.id(), StepStatus.SUCCEEDED, outputs);
        continue;
      }
      StepType type = registry.find(step.type()).orElseThrow();
      usedDatasource(with, datasources);
      StepInput input = StepInput.of(with);
      EngineStepContext context =
          new EngineStepContext(
              state, prefix + step.id(), true, config, catalog.dir(), line -> {}, clock);
      StepPlan plan;
      Map<String, Object> outputs = Map.of();
      boolean known = !Expressions.hasPlaceholder(with);
      boolean ran = false;
      String failed = null;
      bindDatasource(with, inputs);
      try {
        plan = type.plan(input, context);
        bindReads(type, input, context, with, prefix + step.id(), inputs, walk.invalid());
        if (type.pure() && known && walk.invalid().isEmpty()) {
          StepResult result = type.execute(input, context);
          outputs = result.outputs();
          ran = result.success();
          failed = result.success() ? null : result.reason();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        plan = StepPlan.of(type.name() + " (description interrupted)");
        failed = known ? "interrupted while planning" : null;
      } catch (IllegalArgumentException e) {
        if (known) {
          walk.invalid()
              .add("step '" + prefix + step.id() + "' (" + type.name() + "): " + e.getMessage());
        }
        plan =
            StepPlan.of(type.name() + " (cannot describe before the run: " + e.getMessage() + ")");
      } catch (RuntimeException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        failed = known ? reason : null;
        plan =
            StepPlan.of(
                type.name()
                    + (known ? " (could not read: " : " (cannot describe before the run: ")
                    + reason
                    + ")");
      }
      if (failed != null) {
        walk.failedReads()
            .add(new FailedRead(prefix + step.id(), type.name(), state.redactor.redact(failed)));
      }
      if (!ran) {
        unknown.add("steps", step.id());
      }
      scope.record(step.id(), ran ? StepStatus.SUCCEEDED : StepStatus.PLANNED, outputs);
      List<String> details = new ArrayList<>(plan.details());
      if (failed != null && !plan.summary().contains(failed)) {
        details.add("could not read: " + failed);
      }
      addOutputs(details, outputs);
      out.add(planned(state, prefix + step.id(), phase, step, plan.summary(), details, condition));
    }
  }

  /** A step's {@code datasource:} that names a configured datasource: the plan binds its config. */
  private void bindDatasource(Map<String, Object> with, PlanInputs.Builder inputs) {
    if (with.get("datasource") instanceof String name) {
      DatasourceConfig datasource = config.datasources().get(name);
      if (datasource != null) {
        inputs.datasource(datasource);
      }
    }
  }

  /**
   * The files a step will read, when its input is known before the run (one that depends on an
   * earlier step's outputs is bound through what that step reads, e.g. a template); a file that
   * cannot be read makes the plan incomplete, and no approval is asked on it.
   */
  private static void bindReads(
      StepType type,
      StepInput input,
      EngineStepContext context,
      Map<String, Object> with,
      String stepId,
      PlanInputs.Builder inputs,
      List<String> invalid) {
    if (Expressions.hasPlaceholder(with)) {
      return;
    }
    try {
      type.reads(input, context).forEach(inputs::read);
    } catch (UncheckedIOException e) {
      invalid.add(
          "step '"
              + stepId
              + "' ("
              + type.name()
              + "): "
              + e.getMessage()
              + ": "
              + e.getCause().getMessage());
    }
  }

  private Plan.PlannedStep planned(
      RunState state,
      String id,
      String phase,
      StepDefinition step,
      String summary,
      List<String> details,
      String condition) {
    List<String> clean = details.stream().map(state.redactor::redact).toList();
    return new Plan.PlannedStep(
        id, phase, step.kind(), state.redactor.redact(summary), clean, condition);
  }

  /** Notes the step's {@code datasource}, or that it is not known before the run. */
  private static void usedDatasource(Map<String, Object> with, java.util.Set<String> datasources) {
    Object datasource = with.get("datasource");
    if (datasource != null) {
      datasources.add(
          Expressions.hasPlaceholder(datasource)
              ? Plan.UNKNOWN_DATASOURCE
              : String.valueOf(datasource));
    }
  }

  /** Adds what a step read or computed while planning, unless its description already says it. */
  private static void addOutputs(List<String> details, Map<String, Object> outputs) {
    outputs.forEach(
        (name, value) -> {
          String line = name + " = " + shown(value);
          if (!details.contains(line)) {
            details.add(line);
          }
        });
  }

  /** A value read or computed during planning, as approvers see it: cut to one short line. */
  private static String shown(Object value) {
    String text = Expressions.text(value).replace('\n', ' ');
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }

  /**
   * "false" when the condition is known to be false, null when true or absent, else the text (it
   * reads what the plan does not know, or cannot be evaluated yet).
   */
  private String conditionText(StepDefinition step, Map<String, Object> variables) {
    if (step.condition() == null) {
      return null;
    }
    try {
      return expressions.test(step.condition(), variables) ? null : "false";
    } catch (ExpressionException e) {
      return step.condition();
    }
  }
}
