package io.intentbot.bench;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The audit store's share of the engine benchmark: the step records a run of {@code set} steps
 * writes, saved through the engine's own {@link AuditStore#saveStep} (its connection pool, its run
 * lock and its upsert) on a run of its own, without the engine. Beside {@link InsertFloor} it
 * splits the engine's cost per step into the store's write and the engine's own work.
 */
final class StoreStepWrites {

  private final AuditStore store;
  private int runs;

  StoreStepWrites(AuditStore store) {
    this.store = store;
  }

  /**
   * Saves {@code n} finished steps of a new open run, one at a time, and returns the milliseconds
   * that took; then ends the run.
   */
  double save(int n) {
    String runId = "r-bench-store-" + runs++;
    Instant now = Instant.now();
    store.createRun(
        new RunRecord(
            runId,
            "bench-steps",
            Map.of(),
            "U_BENCH",
            null,
            null,
            RunStatus.RUNNING,
            false,
            null,
            null,
            now,
            now,
            null,
            Map.of(),
            null,
            Map.of()));
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Instant at = Instant.now();
      store.saveStep(
          new StepRecord(
              runId,
              i,
              "s" + i,
              "main",
              "set",
              StepStatus.SUCCEEDED,
              at,
              at,
              1,
              Map.of("value", "0", "n", "42"),
              "",
              null));
    }
    double ms = (System.nanoTime() - start) / 1e6;
    finish(runId);
    return ms;
  }

  /**
   * Ends and seals the run, as the engine does its own, untimed: an open run that no process
   * claimed would be swept as abandoned by the engine's duties while the benchmark measures.
   */
  private void finish(String runId) {
    if (!store.transition(runId, RunStatus.RUNNING, RunStatus.SUCCEEDED, null)) {
      throw new IllegalStateException(
          "the benchmark's run " + runId + " was ended by someone else");
    }
    store.seal(runId);
  }
}
