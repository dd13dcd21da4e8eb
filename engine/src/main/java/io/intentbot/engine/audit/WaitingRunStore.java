package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run waiting for approval keeps besides its row, so that any process on the database (a
 * restarted one, another replica) can decide on it as the one that planned it would: the inputs its
 * plan was computed from, its secret parameters, and approvals counted against the number required.
 * Safe for concurrent use by threads and processes, like the {@link AuditStore} it comes from.
 */
public interface WaitingRunStore {

  /** Stores the digest of each input of the run's plan (input name to SHA-256), once. */
  void savePlanInputs(String runId, Map<String, String> digests);

  /** The digests stored for the run's plan; empty when none were. */
  Map<String, String> planInputs(String runId);

  /**
   * Records an approval that counts toward {@code required}, under the run's row lock: across
   * threads and processes, at most {@code required} approvals are ever recorded on a run, each at
   * its own place (1, 2, …), and one user decides once. Nothing is recorded on a sealed run.
   */
  default CountedApproval recordCountedApproval(ApprovalRecord approval, int required) {
    return recordCountedApproval(approval, required, counted -> {});
  }

  /**
   * As {@link #recordCountedApproval(ApprovalRecord, int)}, calling {@code whileHeld} with a
   * recorded approval while the run's row lock is still held, before the commit: whatever it does
   * (telling the listeners, who post to the run's thread) happens for place 1 before place 2 is
   * even counted, in whichever process each was recorded.
   */
  CountedApproval recordCountedApproval(
      ApprovalRecord approval,
      int required,
      java.util.function.Consumer<CountedApproval> whileHeld);

  /**
   * Stores that the run has secret parameters: {@code sealed} (their encrypted form), or null when
   * they are kept only in the memory of {@code processId}. Replaces an earlier row.
   */
  void saveSecrets(String runId, String processId, String sealed);

  /** The run's secret parameters as stored, when it has any. */
  Optional<StoredSecrets> secrets(String runId);

  /** Forgets the run's secret parameters (it left the wait). */
  void deleteSecrets(String runId);

  /**
   * Runs waiting for approval whose secret parameters were kept only in the memory of a process
   * other than {@code self} that has not beaten since {@code aliveSince}: they can never start.
   */
  List<String> waitingWithLostSecrets(String self, Instant aliveSince);

  /**
   * A run's secret parameters as stored.
   *
   * @param processId the process that stored them
   * @param sealed their encrypted form, or null when they are in that process's memory only
   */
  record StoredSecrets(String processId, String sealed) {}
}
