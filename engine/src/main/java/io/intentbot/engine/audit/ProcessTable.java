package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Process heartbeats and run ownership: which runs belong to a process that stopped. */
final class ProcessTable {

  private final Jdbc jdbc;

  ProcessTable(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  void heartbeat(String processId, Instant at) {
    jdbc.inTransaction(
        "record a heartbeat of " + processId,
        connection -> {
          int changed =
              Jdbc.update(
                  connection,
                  "UPDATE engine_processes SET heartbeat_at = ? WHERE id = ?",
                  Jdbc.timestamp(at),
                  processId);
          if (changed == 0) {
            Jdbc.update(
                connection,
                "INSERT INTO engine_processes (id, started_at, heartbeat_at) VALUES (?, ?, ?)",
                processId,
                Jdbc.timestamp(at),
                Jdbc.timestamp(at));
          }
          return null;
        });
  }

  void claim(String runId, String processId) {
    jdbc.inTransaction(
        "claim run " + runId,
        connection -> {
          if (Jdbc.update(
                  connection,
                  "UPDATE run_owners SET process_id = ? WHERE run_id = ?",
                  processId,
                  runId)
              == 0) {
            Jdbc.update(
                connection,
                "INSERT INTO run_owners (run_id, process_id) VALUES (?, ?)",
                runId,
                processId);
          }
          return null;
        });
  }

  /** The process that claimed {@code runId}, with its heartbeats. */
  Optional<RunOwner> owner(String runId) {
    return jdbc.withConnection(
        "read the owner of run " + runId,
        connection ->
            Jdbc.query(
                    connection,
                    "SELECT o.process_id, p.started_at, p.heartbeat_at FROM run_owners o"
                        + " LEFT JOIN engine_processes p ON p.id = o.process_id WHERE o.run_id = ?",
                    row ->
                        new RunOwner(
                            row.getString("process_id"),
                            Jdbc.instant(row, "started_at"),
                            Jdbc.instant(row, "heartbeat_at")),
                    runId)
                .stream()
                .findFirst());
  }

  /**
   * Runs in progress whose process last beat before {@code aliveSince}, or that nobody claimed and
   * were created before it.
   */
  List<String> abandoned(Instant aliveSince, String pending, String running) {
    return jdbc.withConnection(
        "find abandoned runs", connection -> abandoned(connection, aliveSince, pending, running));
  }

  private static List<String> abandoned(
      Connection connection, Instant aliveSince, String pending, String running)
      throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT r.id FROM runs r"
            + " LEFT JOIN run_owners o ON o.run_id = r.id"
            + " LEFT JOIN engine_processes p ON p.id = o.process_id"
            + " WHERE r.status IN (?, ?)"
            + " AND ((o.run_id IS NULL AND r.created_at < ?)"
            + " OR (o.run_id IS NOT NULL AND (p.id IS NULL OR p.heartbeat_at < ?)))"
            + " ORDER BY r.created_at, r.id",
        row -> row.getString("id"),
        pending,
        running,
        Jdbc.timestamp(aliveSince),
        Jdbc.timestamp(aliveSince));
  }
}
