package io.intentbot.engine.step;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one step execution: succeeded with outputs, or failed with a reason (and possibly
 * outputs too, such as the exit code of a failed command). Outputs become {@code
 * steps.<id>.outputs.<name>} for later steps; values are strings, numbers, booleans, lists and
 * maps.
 */
public record StepResult(boolean success, Map<String, Object> outputs, String reason) {

  public StepResult {
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    if (!success) {
      Objects.requireNonNull(reason, "a failed step needs a reason");
    }
  }

  public static StepResult succeeded(Map<String, ?> outputs) {
    return new StepResult(true, copy(outputs), null);
  }

  public static StepResult succeeded() {
    return new StepResult(true, Map.of(), null);
  }

  public static StepResult failed(String reason) {
    return new StepResult(false, Map.of(), reason);
  }

  public static StepResult failed(String reason, Map<String, ?> outputs) {
    return new StepResult(false, copy(outputs), reason);
  }

  public boolean failed() {
    return !success;
  }

  private static Map<String, Object> copy(Map<String, ?> outputs) {
    Map<String, Object> copy = new LinkedHashMap<>();
    outputs.forEach(copy::put);
    return copy;
  }
}
