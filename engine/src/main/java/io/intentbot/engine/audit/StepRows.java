package io.intentbot.engine.audit;

import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** SQL and row mapping of the {@code steps} table. */
final class StepRows {

  static final String COLUMNS =
      "run_id, idx, step_id, phase, type, status, started_at, finished_at, duration_ms, attempts,"
          + " outputs, output_text, reason";

  static final String INSERT =
      "INSERT INTO steps (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String UPDATE =
      "UPDATE steps SET step_id = ?, phase = ?, type = ?, status = ?, started_at = ?,"
          + " finished_at = ?, duration_ms = ?, attempts = ?, outputs = ?, output_text = ?,"
          + " reason = ? WHERE run_id = ? AND idx = ?";

  /** H2's one-statement insert-or-update, with {@link #insertParams}. */
  static final String UPSERT_H2 =
      "MERGE INTO steps ("
          + COLUMNS
          + ") KEY (run_id, idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?, ?)";

  /** PostgreSQL's one-statement insert-or-update, with {@link #insertParams}. */
  static final String UPSERT_POSTGRES =
      INSERT
          + " ON CONFLICT (run_id, idx) DO UPDATE SET step_id = EXCLUDED.step_id,"
          + " phase = EXCLUDED.phase, type = EXCLUDED.type, status = EXCLUDED.status,"
          + " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
          + " duration_ms = EXCLUDED.duration_ms, attempts = EXCLUDED.attempts,"
          + " outputs = EXCLUDED.outputs, output_text = EXCLUDED.output_text,"
          + " reason = EXCLUDED.reason";

  /**
   * PostgreSQL's guarded insert-or-update of a step in one statement, with {@link #insertParams}
   * then the run id: it locks the run's row (as {@link SealGuard} does) and writes the step only
   * while the run is not sealed, so one round trip and one commit (in auto-commit mode) do what the
   * lock, the upsert and the commit did in three. No row written: the run is sealed or missing.
   */
  static final String GUARDED_UPSERT_POSTGRES =
      "INSERT INTO steps ("
          + COLUMNS
          + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM runs WHERE id = ? AND seq IS NULL"
          + " FOR UPDATE"
          + UPSERT_POSTGRES.substring(INSERT.length());

  static final String SELECT_FOR_RUN =
      "SELECT " + COLUMNS + " FROM steps WHERE run_id = ? ORDER BY idx";

  private StepRows() {}

  /**
   * The one statement that inserts or updates a step on this connection's database, or null when
   * the database has none known here (then: update, and insert when no row changed).
   */
  static String upsert(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    if ("H2".equals(product)) {
      return UPSERT_H2;
    }
    if ("PostgreSQL".equals(product)) {
      return UPSERT_POSTGRES;
    }
    return null;
  }

  static Object[] insertParams(StepRecord step) {
    Object[] values = values(step);
    Object[] params = new Object[values.length + 2];
    params[0] = step.runId();
    params[1] = step.index();
    System.arraycopy(values, 0, params, 2, values.length);
    return params;
  }

  /** {@link #insertParams} followed by the run id, for {@link #GUARDED_UPSERT_POSTGRES}. */
  static Object[] guardedParams(StepRecord step) {
    Object[] params = insertParams(step);
    Object[] guarded = java.util.Arrays.copyOf(params, params.length + 1);
    guarded[params.length] = step.runId();
    return guarded;
  }

  static Object[] updateParams(StepRecord step) {
    Object[] values = values(step);
    Object[] params = new Object[values.length + 2];
    System.arraycopy(values, 0, params, 0, values.length);
    params[values.length] = step.runId();
    params[values.length + 1] = step.index();
    return params;
  }

  private static Object[] values(StepRecord step) {
    long duration = step.durationMillis();
    return new Object[] {
      step.stepId(),
      step.phase(),
      step.type(),
      step.status().label(),
      Jdbc.timestamp(step.startedAt()),
      Jdbc.timestamp(step.finishedAt()),
      duration < 0 ? null : duration,
      step.attempts(),
      JsonColumns.write(step.outputs()),
      step.outputText(),
      step.reason()
    };
  }

  static StepRecord read(ResultSet row) throws SQLException {
    return new StepRecord(
        row.getString("run_id"),
        row.getInt("idx"),
        row.getString("step_id"),
        row.getString("phase"),
        row.getString("type"),
        status(row.getString("status")),
        Jdbc.instant(row, "started_at"),
        Jdbc.instant(row, "finished_at"),
        row.getInt("attempts"),
        JsonColumns.readValues(row.getString("outputs")),
        row.getString("output_text"),
        row.getString("reason"));
  }

  static StepStatus status(String label) {
    return StepStatus.valueOf(label.toUpperCase(Locale.ROOT));
  }
}
