package io.intentbot.engine.internal;

import io.intentbot.engine.model.StepStatus;

/** How a step ended, as the run executor needs to know it. */
record StepOutcome(String stepId, StepStatus status, String reason) {

  boolean failed() {
    return status == StepStatus.FAILED;
  }

  boolean cancelled() {
    return status == StepStatus.CANCELLED;
  }
}
