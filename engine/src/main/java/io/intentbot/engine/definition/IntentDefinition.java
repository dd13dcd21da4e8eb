package io.intentbot.engine.definition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One intent, loaded from {@code intents/NAME.yaml} and validated. Immutable.
 *
 * @param name equals the file name
 * @param description one line for help
 * @param risk read-only intents never need approval
 * @param readOnlyIf a condition on the parameters under which a run of a mutating intent only reads
 *     (never waits for approval; a changing step fails it), or null
 * @param parameters in the order written
 * @param lock the lock, or null
 * @param prereqs checks that run before the steps
 * @param steps the steps
 * @param onFailure steps that run when a step fails (rollbacks)
 * @param outputs output name to expression
 * @param source file it came from
 * @param sourceHash SHA-256 over the file and the library steps it uses; part of the plan hash
 */
public record IntentDefinition(
    String name,
    String description,
    Risk risk,
    String readOnlyIf,
    List<ParameterDefinition> parameters,
    LockSpec lock,
    List<StepDefinition> prereqs,
    List<StepDefinition> steps,
    List<StepDefinition> onFailure,
    Map<String, String> outputs,
    String source,
    String sourceHash) {

  public IntentDefinition {
    parameters = List.copyOf(parameters);
    prereqs = List.copyOf(prereqs);
    steps = List.copyOf(steps);
    onFailure = List.copyOf(onFailure);
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  public Optional<ParameterDefinition> parameter(String name) {
    return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The first parameter of type {@code environment}, if the intent has one: the run's own
   * environment (its namespace, {@code env.*}); the run touches every environment parameter's.
   */
  public Optional<ParameterDefinition> environmentParameter() {
    return parameters.stream().filter(p -> p.type() == ParameterType.ENVIRONMENT).findFirst();
  }

  /** The parameter of type {@code app}, if the intent has one. */
  public Optional<ParameterDefinition> appParameter() {
    return parameters.stream().filter(p -> p.type() == ParameterType.APP).findFirst();
  }
}
