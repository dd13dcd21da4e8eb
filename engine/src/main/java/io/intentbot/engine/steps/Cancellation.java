package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepResult;
import java.util.Map;

/** The result of a step stopped by thread interruption; keeps the interrupt visible to callers. */
final class Cancellation {

  private Cancellation() {}

  static StepResult cancelled(String detail) {
    return cancelled(detail, Map.of());
  }

  static StepResult cancelled(String detail, Map<String, ?> outputs) {
    Thread.currentThread().interrupt();
    return StepResult.failed(detail == null ? "cancelled" : "cancelled: " + detail, outputs);
  }
}
