package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.LibraryStep;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.params.BoundParameters;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  /**
   * Plans every step. A step whose fully known input its step type rejects (an unknown datasource,
   * a value of the wrong shape) cannot succeed: its message goes to {@code invalid}.
   */
  Plan plan(RunState state, String hash, List<String> invalid) {
    RunScope scope = state.scope.child(state.scope.params());
    List<Plan.PlannedStep> steps = new ArrayList<>();
    java.util.Set<String> datasources = new java.util.LinkedHashSet<>();
    describe(state, state.intent.prereqs(), "prereq", scope, "", steps, invalid, datasources);
    describe(state, state.intent.steps(), "main", scope, "", steps, invalid, datasources);
    describe(state, state.intent.onFailure(), "on_failure", scope, "", steps, invalid, datasources);
    return new Plan(
        state.intent.name(),
        state.parameters.display(),
        state.environment == null ? null : state.environment.name(),
        steps,
        hash,
        List.copyOf(datasources));
  }

  private void describe(
      RunState state,
      List<StepDefinition> definitions,
      String phase,
      RunScope scope,
      String prefix,
      List<Plan.PlannedStep> out,
      List<String> invalid,
      java.util.Set<String> datasources) {
    for (StepDefinition step : definitions) {
      Map<String, Object> variables = scope.variables();
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
        scope.recordOutputs(step.id(), Map.of());
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> with =
          (Map<String, Object>) expressions.renderLenient(step.with(), variables);
      if (step.uses() != null) {
        LibraryStep lib = catalog.libraryStep(step.uses()).orElseThrow();
        Map<String, Object> params = new LinkedHashMap<>();
        for (ParameterDefinition p : lib.parameters()) {
          params.put(p.name(), with.containsKey(p.name()) ? with.get(p.name()) : p.defaultValue());
        }
        RunScope child = scope.child(params);
        List<Plan.PlannedStep> inner = new ArrayList<>();
        describe(
            state,
            lib.steps(),
            phase,
            child,
            prefix + step.id() + ".",
            inner,
            invalid,
            datasources);
        List<String> details = new ArrayList<>();
        inner.forEach(i -> details.add(i.id() + ": " + i.summary()));
        Map<String, Object> outputs = new LinkedHashMap<>();
        lib.outputs()
            .forEach(
                (name, template) ->
                    outputs.put(name, expressions.renderLenient(template, child.variables())));
        addOutputs(details, outputs);
        String summary =
            "uses lib/"
                + lib.name()
                + (lib.description() == null ? "" : " (" + lib.description() + ")");
        out.add(planned(state, prefix + step.id(), phase, step, summary, details, condition));
        scope.recordOutputs(step.id(), outputs);
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
      try {
        plan = type.plan(input, context);
        if (type.pure() && !Expressions.hasPlaceholder(with) && invalid.isEmpty()) {
          StepResult result = type.execute(input, context);
          outputs = result.outputs();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        plan = StepPlan.of(type.name() + " (description interrupted)");
      } catch (IllegalArgumentException e) {
        if (!Expressions.hasPlaceholder(with)) {
          invalid.add("step '" + prefix + step.id() + "' (" + type.name() + "): " + e.getMessage());
        }
        plan =
            StepPlan.of(type.name() + " (cannot describe before the run: " + e.getMessage() + ")");
      } catch (RuntimeException e) {
        plan =
            StepPlan.of(type.name() + " (cannot describe before the run: " + e.getMessage() + ")");
      }
      scope.recordOutputs(step.id(), outputs);
      List<String> details = new ArrayList<>(plan.details());
      addOutputs(details, outputs);
      out.add(planned(state, prefix + step.id(), phase, step, plan.summary(), details, condition));
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

  /** "false" when the condition is known to be false, null when true or absent, else the text. */
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

  /**
   * The plan hash: SHA-256 over the intent file (and the library steps it uses), the bound
   * parameters and the environment's config. Equal inputs give equal hashes.
   */
  static String hash(
      IntentDefinition intent, BoundParameters parameters, EnvironmentConfig environment) {
    StringBuilder canonical = new StringBuilder();
    canonical.append("intent=").append(intent.name()).append('\n');
    canonical.append("source=").append(intent.sourceHash()).append('\n');
    new TreeMap<>(parameters.display())
        .forEach((k, v) -> canonical.append("param.").append(k).append('=').append(v).append('\n'));
    canonical
        .append("environment=")
        .append(environment == null ? "" : String.valueOf(environment))
        .append('\n');
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
