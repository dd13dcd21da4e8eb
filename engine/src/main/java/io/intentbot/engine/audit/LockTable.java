package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Run locks: one row per held key. The primary key on {@code lock_key} makes the database the
 * arbiter, so one run holds a key however many threads or processes ask at once.
 */
final class LockTable {

  private static final int ATTEMPTS = 5;

  private final Jdbc jdbc;

  LockTable(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  Optional<String> tryLock(String key, String runId, Instant at) {
    return jdbc.withConnection(
        "lock " + key,
        connection -> {
          for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
              Jdbc.update(
                  connection,
                  "INSERT INTO locks (lock_key, run_id, acquired_at) VALUES (?, ?, ?)",
                  key,
                  runId,
                  Jdbc.timestamp(at));
              return Optional.empty();
            } catch (SQLException e) {
              if (!Jdbc.isDuplicateKey(e)) {
                throw e;
              }
            }
            Optional<String> holder = holder(connection, key);
            if (holder.isPresent()) {
              return holder.get().equals(runId) ? Optional.empty() : holder;
            }
            // released between our insert and our read: try again
          }
          throw new SQLException("lock " + key + " kept changing hands", "40001");
        });
  }

  void release(String key, String runId) {
    jdbc.withConnection(
        "release lock " + key,
        connection ->
            Jdbc.update(
                connection, "DELETE FROM locks WHERE lock_key = ? AND run_id = ?", key, runId));
  }

  Optional<String> holder(String key) {
    return jdbc.withConnection("read lock " + key, connection -> holder(connection, key));
  }

  static void releaseAll(Connection connection, String runId) throws SQLException {
    Jdbc.update(connection, "DELETE FROM locks WHERE run_id = ?", runId);
  }

  private static Optional<String> holder(Connection connection, String key) throws SQLException {
    List<String> holders =
        Jdbc.query(
            connection,
            "SELECT run_id FROM locks WHERE lock_key = ?",
            row -> row.getString("run_id"),
            key);
    return holders.stream().findFirst();
  }
}
