package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks runs left in progress by a stopped bot as interrupted. Each run flips with a
 * compare-and-set, so two processes starting at once never both claim it.
 */
final class Interrupter {

  private static final String PENDING = RunStatus.PENDING.label();
  private static final String RUNNING = RunStatus.RUNNING.label();

  private final Jdbc jdbc;

  Interrupter(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  List<String> markInterrupted(Instant at, String reason) {
    List<String> candidates =
        jdbc.withConnection(
            "find runs in progress",
            connection ->
                Jdbc.query(
                    connection,
                    "SELECT id FROM runs WHERE status IN (?, ?) ORDER BY created_at, id",
                    row -> row.getString("id"),
                    PENDING,
                    RUNNING));
    return interrupt(candidates, at, reason);
  }

  /** Marks the runs of processes silent since {@code aliveSince} (see {@link ProcessTable}). */
  List<String> markAbandoned(
      ProcessTable processes, Instant at, Instant aliveSince, String reason) {
    return interrupt(processes.abandoned(aliveSince, PENDING, RUNNING), at, reason);
  }

  List<String> interrupt(List<String> candidates, Instant at, String reason) {
    List<String> interrupted = new ArrayList<>();
    for (String runId : candidates) {
      boolean flipped =
          jdbc.inTransaction(
              "interrupt run " + runId, connection -> interrupt(connection, runId, at, reason));
      if (flipped) {
        interrupted.add(runId);
      }
    }
    return interrupted;
  }

  private static boolean interrupt(Connection connection, String runId, Instant at, String reason)
      throws SQLException {
    int changed =
        Jdbc.update(
            connection,
            "UPDATE runs SET status = ?, reason = ?, finished_at = ? WHERE id = ? AND status IN (?, ?)",
            RunStatus.INTERRUPTED.label(),
            reason,
            Jdbc.timestamp(at),
            runId,
            PENDING,
            RUNNING);
    if (changed == 0) {
      return false;
    }
    List<RunningStep> running =
        Jdbc.query(
            connection,
            "SELECT idx, started_at FROM steps WHERE run_id = ? AND status = ? ORDER BY idx",
            row -> new RunningStep(row.getInt("idx"), Jdbc.instant(row, "started_at")),
            runId,
            StepStatus.RUNNING.label());
    for (RunningStep step : running) {
      Long duration =
          step.startedAt() == null
              ? null
              : Math.max(0, Duration.between(step.startedAt(), at).toMillis());
      Jdbc.update(
          connection,
          "UPDATE steps SET status = ?, reason = ?, finished_at = ?, duration_ms = ?"
              + " WHERE run_id = ? AND idx = ? AND status = ?",
          StepStatus.FAILED.label(),
          reason,
          Jdbc.timestamp(at),
          duration,
          runId,
          step.index(),
          StepStatus.RUNNING.label());
    }
    LockTable.releaseAll(connection, runId);
    return true;
  }

  private record RunningStep(int index, Instant startedAt) {}
}
