package io.intentbot.engine.definition;

import java.util.List;
import java.util.Map;

/**
 * A reusable step from {@code intents/lib/NAME.yaml}, used as {@code uses: lib/NAME}. Its {@code
 * parameters} are the {@code with:} keys callers pass (visible inside as {@code params.*}); its
 * steps run in their own scope; its {@code outputs} become the using step's outputs.
 */
public record LibraryStep(
    String name,
    String description,
    List<ParameterDefinition> parameters,
    List<StepDefinition> steps,
    Map<String, String> outputs,
    String source,
    String sourceHash) {

  public LibraryStep {
    parameters = List.copyOf(parameters);
    steps = List.copyOf(steps);
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }
}
