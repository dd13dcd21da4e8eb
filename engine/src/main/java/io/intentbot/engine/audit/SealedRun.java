package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.StepRecord;
import java.time.Instant;
import java.util.List;

/**
 * What a seal covers: the run as stored, its steps (with their stored duration) and approvals, and
 * its place in the chain.
 */
record SealedRun(
    long seq,
    Instant sealedAt,
    RunRecord run,
    List<StoredStep> steps,
    List<ApprovalRecord> approvals) {

  /** A step row: the record and the stored {@code duration_ms} (null while running). */
  record StoredStep(StepRecord step, Long durationMillis) {}
}
