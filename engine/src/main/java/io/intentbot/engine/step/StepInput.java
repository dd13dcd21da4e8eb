package io.intentbot.engine.step;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rendered {@code with:} block of one step: every {@code ${{ }}} expression already evaluated.
 * Values are strings, numbers, booleans, lists and maps, as in YAML; a null value counts as absent.
 * Step types do not read it by hand: {@link TypedStepType} binds it to the type's input record,
 * leniently (a number given as a string is still a number), and fails naming the field, its value
 * and what was expected.
 */
public record StepInput(Map<String, Object> values) {

  public StepInput {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static StepInput of(Map<String, ?> values) {
    return new StepInput(new LinkedHashMap<>(values));
  }
}
