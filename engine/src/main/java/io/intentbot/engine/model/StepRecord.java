package io.intentbot.engine.model;

import java.time.Instant;
import java.util.Map;

/**
 * One step of a run as the audit store keeps it. Saved when the step starts and when it ends.
 *
 * @param runId the run
 * @param index position in the run, from 0, in the order steps started (unique per run)
 * @param stepId the step's {@code id} (a step inside a {@code uses:} is {@code outer.inner})
 * @param phase {@code prereq}, {@code main} or {@code on_failure}
 * @param type step type name, or {@code uses:lib/NAME}
 * @param status current status
 * @param startedAt when it started
 * @param finishedAt when it ended, or null
 * @param attempts how many times it was tried
 * @param outputs its outputs, redacted
 * @param outputText what it printed, redacted, possibly cut to a limit
 * @param reason why it failed or was skipped, or null
 */
public record StepRecord(
    String runId,
    int index,
    String stepId,
    String phase,
    String type,
    StepStatus status,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    Map<String, Object> outputs,
    String outputText,
    String reason) {

  public StepRecord {
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  /** Milliseconds from start to end, or -1 while running. */
  public long durationMillis() {
    return finishedAt == null || startedAt == null
        ? -1
        : java.time.Duration.between(startedAt, finishedAt).toMillis();
  }
}
