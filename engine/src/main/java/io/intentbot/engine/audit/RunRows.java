package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** SQL and row mapping of the {@code runs} table. */
final class RunRows {

  static final String COLUMNS =
      "id, intent, parameters, requester, environment, app, status, dry_run, plan_hash, lock_key,"
          + " created_at, started_at, finished_at, outputs, reason, origin";

  static final String INSERT =
      "INSERT INTO runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String UPDATE =
      "UPDATE runs SET intent = ?, parameters = ?, requester = ?, environment = ?, app = ?,"
          + " status = ?, dry_run = ?, plan_hash = ?, lock_key = ?, created_at = ?, started_at = ?,"
          + " finished_at = ?, outputs = ?, reason = ?, origin = ? WHERE id = ? AND seq IS NULL";

  static final String SELECT = "SELECT " + COLUMNS + " FROM runs";

  private RunRows() {}

  static Object[] insertParams(RunRecord run) {
    Object[] values = values(run);
    Object[] params = new Object[values.length + 1];
    params[0] = run.id();
    System.arraycopy(values, 0, params, 1, values.length);
    return params;
  }

  static Object[] updateParams(RunRecord run) {
    Object[] values = values(run);
    Object[] params = new Object[values.length + 1];
    System.arraycopy(values, 0, params, 0, values.length);
    params[values.length] = run.id();
    return params;
  }

  private static Object[] values(RunRecord run) {
    return new Object[] {
      run.intent(),
      JsonColumns.write(run.parameters()),
      run.requester(),
      run.environment(),
      run.app(),
      label(run.status()),
      run.dryRun(),
      run.planHash(),
      run.lockKey(),
      Jdbc.timestamp(run.createdAt()),
      Jdbc.timestamp(run.startedAt()),
      Jdbc.timestamp(run.finishedAt()),
      JsonColumns.write(run.outputs()),
      run.reason(),
      JsonColumns.write(run.origin())
    };
  }

  static RunRecord read(ResultSet row) throws SQLException {
    return new RunRecord(
        row.getString("id"),
        row.getString("intent"),
        JsonColumns.readStrings(row.getString("parameters")),
        row.getString("requester"),
        row.getString("environment"),
        row.getString("app"),
        status(row.getString("status")),
        row.getBoolean("dry_run"),
        row.getString("plan_hash"),
        row.getString("lock_key"),
        Jdbc.instant(row, "created_at"),
        Jdbc.instant(row, "started_at"),
        Jdbc.instant(row, "finished_at"),
        JsonColumns.readValues(row.getString("outputs")),
        row.getString("reason"),
        JsonColumns.readStrings(row.getString("origin")));
  }

  static String label(RunStatus status) {
    return status.label();
  }

  static RunStatus status(String label) {
    return RunStatus.valueOf(label.toUpperCase(Locale.ROOT));
  }
}
