package io.intentbot.engine.internal;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.ParameterType;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.params.BindResult;
import io.intentbot.engine.params.ParameterBinder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every environment a run touches: the value of each parameter of type {@code environment}, and the
 * {@code environment:} of each datasource its steps use (all datasources' when a step names one
 * that is not known before the run). The strictest of them decides approval; access rules must
 * cover them all.
 */
final class TouchedEnvironments {

  private TouchedEnvironments() {}

  /** The environments a planned run touches, its own environment first. */
  static List<String> of(RunState state, IntentbotConfig config) {
    Set<String> names = new LinkedHashSet<>();
    if (state.environment != null) {
      names.add(state.environment.name());
    }
    names.addAll(fromParameters(state.intent, state.scope.params()));
    if (state.plan != null) {
      for (String datasource : state.plan.datasources()) {
        if (Plan.UNKNOWN_DATASOURCE.equals(datasource)) {
          config.datasources().values().stream()
              .map(DatasourceConfig::environment)
              .filter(e -> e != null)
              .forEach(names::add);
        } else {
          config.datasource(datasource).map(DatasourceConfig::environment).ifPresent(names::add);
        }
      }
    }
    return List.copyOf(names);
  }

  /** The values of the intent's {@code environment} parameters among {@code values}. */
  static List<String> fromParameters(IntentDefinition intent, Map<String, Object> values) {
    List<String> out = new ArrayList<>();
    for (ParameterDefinition p : intent.parameters()) {
      if (p.type() == ParameterType.ENVIRONMENT && values.get(p.name()) instanceof String s) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The environments a request touches that are knowable from its arguments alone, to refuse before
   * planning (a plan may read a database or a cluster): the value of every {@code environment}
   * parameter, given or by default, and the {@code environment:} of every configured datasource
   * that a parameter's value names. Arguments are read as the binder reads them (keys and values
   * trimmed); arguments that do not bind are still read, so a refusal names what they asked for,
   * except an environment that is not configured, which the binder reports as a mistake. It may
   * name more than the plan will touch (a value that names a datasource no step uses): that only
   * ever refuses, never allows.
   */
  static List<String> beforePlanning(
      IntentDefinition intent, List<String> arguments, IntentbotConfig config) {
    BindResult bound = new ParameterBinder(config).bind(intent, arguments);
    Map<String, Object> values =
        bound.ok() ? bound.parameters().values() : given(intent, arguments);
    Set<String> names = new LinkedHashSet<>(fromParameters(intent, values));
    if (!bound.ok()) {
      // An environment that is not configured is the binder's to report (with a did-you-mean):
      // such a request is never planned, so there is nothing to refuse early.
      names.retainAll(config.environments().keySet());
    }
    for (Object value : values.values()) {
      if (value instanceof String name) {
        config.datasource(name.trim()).map(DatasourceConfig::environment).ifPresent(names::add);
      }
    }
    return List.copyOf(names);
  }

  /** Every value given (trimmed, as the binder reads them) or defaulted, by parameter name. */
  private static Map<String, Object> given(IntentDefinition intent, List<String> arguments) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (ParameterDefinition p : intent.parameters()) {
      if (p.defaultValue() != null) {
        values.put(p.name(), p.defaultValue());
      }
    }
    for (String argument : arguments) {
      int eq = argument.indexOf('=');
      if (eq > 0) {
        values.put(argument.substring(0, eq).trim(), argument.substring(eq + 1).trim());
      }
    }
    return values;
  }

  /**
   * The strictest of the environments: a protected one before an unprotected one, then the one
   * needing more approvals; the first written wins a tie. Null when there is none.
   */
  static EnvironmentConfig strictest(List<String> names, IntentbotConfig config) {
    return names.stream()
        .map(config.environments()::get)
        .filter(e -> e != null)
        .max(
            Comparator.comparing(EnvironmentConfig::isProtected)
                .thenComparing(e -> e.approval().required())
                .thenComparing(e -> -names.indexOf(e.name())))
        .orElse(null);
  }
}
