package io.intentbot.engine.internal;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.ParameterType;
import io.intentbot.engine.model.Plan;
import java.util.ArrayList;
import java.util.Comparator;
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
   * The environments named by the {@code environment} parameters among raw {@code key=value}
   * arguments, before they are bound (to refuse before planning).
   */
  static List<String> fromArguments(IntentDefinition intent, List<String> arguments) {
    List<String> out = new ArrayList<>();
    for (ParameterDefinition p : intent.parameters()) {
      if (p.type() != ParameterType.ENVIRONMENT) {
        continue;
      }
      for (String argument : arguments) {
        if (argument.startsWith(p.name() + "=")) {
          out.add(argument.substring(p.name().length() + 1));
        }
      }
    }
    return out;
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
