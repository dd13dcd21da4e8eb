package io.intentbot.engine.audit;

import io.intentbot.engine.model.AccessEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/** SQL and row mapping of the {@code access_log} table. */
final class AccessRows {

  private static final String COLUMNS =
      "at, user_id, os_user, host, source, channel, action, intent, run_id, environments, rule,"
          + " refused, reason";

  static final String INSERT =
      "INSERT INTO access_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static final String REFUSED =
      "SELECT id, " + COLUMNS + " FROM access_log WHERE refused = TRUE ORDER BY id DESC LIMIT ?";

  static final String DECISIONS_AFTER =
      "SELECT id, " + COLUMNS + " FROM access_log WHERE refused = FALSE AND id > ? ORDER BY id";

  static final String LAST_ID = "SELECT COALESCE(MAX(id), 0) AS id FROM access_log";

  private AccessRows() {}

  static Object[] insertParams(AccessEvent e) {
    return new Object[] {
      Jdbc.timestamp(e.at()),
      e.user(),
      e.osUser(),
      e.host(),
      e.source(),
      e.channel(),
      e.action(),
      e.intent(),
      e.runId(),
      String.join(",", e.environments()),
      e.rule(),
      e.refused(),
      cut(e.reason())
    };
  }

  static AccessEvent read(ResultSet row) throws SQLException {
    String envs = row.getString("environments");
    List<String> environments =
        envs == null || envs.isEmpty() ? List.of() : Arrays.asList(envs.split(","));
    return new AccessEvent(
        row.getLong("id"),
        Jdbc.instant(row, "at"),
        row.getString("user_id"),
        row.getString("os_user"),
        row.getString("host"),
        row.getString("source"),
        row.getString("channel"),
        row.getString("action"),
        row.getString("intent"),
        row.getString("run_id"),
        environments,
        row.getString("rule"),
        row.getBoolean("refused"),
        row.getString("reason"));
  }

  private static String cut(String text) {
    return text == null || text.length() <= 2000 ? text : text.substring(0, 1997) + "...";
  }
}
