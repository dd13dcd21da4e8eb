package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.model.InputProblem;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.params.BindResult;
import io.intentbot.engine.params.BoundParameters;
import io.intentbot.engine.params.ParameterBinder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an intent name and arguments into a planned {@link RunState}: binds and checks the
 * parameters, fills computed defaults, resolves the environment and app, renders the lock key and
 * plans every step. Nothing is recorded here.
 */
final class RunPreparer {

  private final IntentbotConfig config;
  private final IntentCatalog catalog;
  private final Expressions expressions;
  private final ParameterBinder binder;
  private final Planner planner;
  private final SecretMasks masks;

  RunPreparer(
      IntentbotConfig config,
      IntentCatalog catalog,
      Expressions expressions,
      Planner planner,
      SecretMasks masks) {
    this.masks = masks;
    this.config = config;
    this.catalog = catalog;
    this.expressions = expressions;
    this.binder = new ParameterBinder(config);
    this.planner = planner;
  }

  PreparedRun prepare(
      String runId, String intentName, List<String> arguments, String requester, boolean dryRun) {
    IntentDefinition intent = catalog.find(intentName).orElse(null);
    if (intent == null) {
      return PreparedRun.invalid(List.of(unknownIntent(intentName)));
    }
    BindResult bound = binder.bind(intent, arguments);
    if (!bound.ok()) {
      return PreparedRun.invalid(bound.problems());
    }
    BoundParameters parameters = bound.parameters();
    List<InputProblem> masked = maskedSecrets(intent, parameters);
    if (!masked.isEmpty()) {
      return PreparedRun.invalid(masked);
    }
    String envName =
        intent
            .environmentParameter()
            .map(p -> (String) parameters.values().get(p.name()))
            .orElse(null);
    EnvironmentConfig environment = envName == null ? null : config.environments().get(envName);
    String app =
        intent.appParameter().map(p -> (String) parameters.values().get(p.name())).orElse(null);
    Redactor redactor = masks.forRun(parameters.secrets());
    RunScope scope =
        new RunScope(
            parameters.values(),
            RunScope.environment(environment, app),
            RunScope.run(runId, requester, intent.name(), dryRun));
    scope.declare(intent.prereqs());
    scope.declare(intent.steps());
    scope.declare(intent.onFailure());
    List<String> errors = new ArrayList<>();
    Map<String, String> display = new LinkedHashMap<>(parameters.display());
    for (ParameterDefinition p : intent.parameters()) {
      if (p.defaultExpression() != null && parameters.values().get(p.name()) == null) {
        try {
          Object value = expressions.render(p.defaultExpression(), scope.variables());
          scope.putParam(p.name(), value);
          display.put(p.name(), p.secret() ? Redactor.MASK : String.valueOf(value));
        } catch (ExpressionException e) {
          errors.add("default of parameter '" + p.name() + "': " + e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      return PreparedRun.cannotPlan(errors);
    }
    BoundParameters withDefaults =
        new BoundParameters(scope.params(), display, parameters.secrets());
    String lockKey = null;
    if (intent.lock() != null) {
      try {
        lockKey =
            String.valueOf(expressions.render(intent.lock().keyTemplate(), scope.variables()));
      } catch (ExpressionException e) {
        return PreparedRun.cannotPlan(List.of("lock of " + intent.name() + ": " + e.getMessage()));
      }
    }
    RunRecord record =
        record(runId, intent, display, requester, envName, app, dryRun, null, lockKey);
    boolean readOnly = false;
    if (intent.readOnlyIf() != null) {
      try {
        readOnly = expressions.test(intent.readOnlyIf(), scope.variables());
      } catch (ExpressionException e) {
        return PreparedRun.cannotPlan(
            List.of("read_only_if of " + intent.name() + ": " + e.getMessage()));
      }
    }
    RunState draft =
        new RunState(
            record, intent, withDefaults, environment, app, redactor, scope, null, null, readOnly);
    List<String> invalid = new ArrayList<>();
    Planner.Planned planned = planner.plan(draft, invalid);
    if (!invalid.isEmpty()) {
      return PreparedRun.cannotPlan(invalid);
    }
    return new PreparedRun(
        new RunState(
            record(
                runId,
                intent,
                display,
                requester,
                envName,
                app,
                dryRun,
                planned.plan().hash(),
                lockKey),
            intent,
            withDefaults,
            environment,
            app,
            redactor,
            scope,
            planned.plan(),
            planned.inputs(),
            readOnly),
        List.of());
  }

  private static RunRecord record(
      String runId,
      IntentDefinition intent,
      Map<String, String> display,
      String requester,
      String envName,
      String app,
      boolean dryRun,
      String planHash,
      String lockKey) {
    return new RunRecord(
        runId,
        intent.name(),
        display,
        requester,
        envName,
        app,
        null,
        dryRun,
        planHash,
        lockKey,
        null,
        null,
        null,
        Map.of(),
        null,
        Map.of());
  }

  /**
   * Fails closed on a secret parameter whose value is the mask people are shown ({@code ***}): a
   * run asked for again from its record would otherwise pass the mask to its steps as the secret.
   */
  private static List<InputProblem> maskedSecrets(
      IntentDefinition intent, BoundParameters parameters) {
    List<InputProblem> problems = new ArrayList<>();
    for (ParameterDefinition p : intent.parameters()) {
      Object value = parameters.values().get(p.name());
      if (p.secret() && value != null && Redactor.MASK.equals(String.valueOf(value).trim())) {
        problems.add(
            InputProblem.of(
                InputProblem.Kind.INVALID_VALUE,
                p.name(),
                "secret parameter '"
                    + p.name()
                    + "' holds the mask "
                    + Redactor.MASK
                    + ", not its value; give the value itself"));
      }
    }
    return problems;
  }

  InputProblem unknownIntent(String name) {
    boolean broken =
        catalog.problems().stream().anyMatch(p -> p.location().file().equals(name + ".yaml"));
    if (broken) {
      return InputProblem.general(
          InputProblem.Kind.BROKEN_INTENT,
          "intent '" + name + "' cannot run: its file has problems; `intentbot lint` lists them");
    }
    List<String> close = catalog.closest(name, 3);
    String hint = close.isEmpty() ? "" : " Did you mean " + String.join(", ", close) + "?";
    return new InputProblem(
        InputProblem.Kind.UNKNOWN_INTENT,
        null,
        close,
        "unknown intent '" + name + "'." + hint + " `list` shows every intent.");
  }
}
