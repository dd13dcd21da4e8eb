package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of the audit chain that is not a run: the row it seals, named by key. Its hash covers
 * the row's columns as stored (read back in the sealing transaction, and again by {@code verify}),
 * so an edited or deleted row no longer matches.
 *
 * @param kind what the row is
 * @param runId the run an approval or acknowledgement is about (null for the access log)
 * @param userId who decided, for an approval (null otherwise)
 * @param accessId the access log entry's id (null otherwise)
 */
record ChainEntry(Kind kind, String runId, String userId, Long accessId) {

  /** The tables whose rows are sealed as entries of their own. */
  enum Kind {
    /** An approval, rejection or break-glass decision: a row of {@code approvals}. */
    APPROVAL("approval", "decision", "approvals", "run_id = ? AND user_id = ?"),
    /** An acknowledgement of a break-glass run: a row of {@code run_reviews}. */
    ACKNOWLEDGEMENT("acknowledgement", "acknowledgement", "run_reviews", "run_id = ?"),
    /** A refused attempt or a decision made outside Slack: a row of {@code access_log}. */
    ACCESS("access", "access log entry", "access_log", "id = ?");

    final String column;
    final String noun;
    final String table;
    final String where;

    Kind(String column, String noun, String table, String where) {
      this.column = column;
      this.noun = noun;
      this.table = table;
      this.where = where;
    }

    static Kind of(String column) {
      for (Kind kind : values()) {
        if (kind.column.equals(column)) {
          return kind;
        }
      }
      throw new AuditStoreException("audit store: unknown chain entry kind '" + column + "'");
    }
  }

  /** Columns of each kind's row that the hash covers, with how to read them. */
  private static final Map<Kind, List<String>> COLUMNS =
      Map.of(
          Kind.APPROVAL,
          List.of(
              "s:run_id",
              "s:user_id",
              "b:approved",
              "s:plan_hash",
              "t:decided_at",
              "s:comment",
              "n:place"),
          Kind.ACKNOWLEDGEMENT,
          List.of("s:run_id", "s:user_id", "t:reviewed_at", "s:note"),
          Kind.ACCESS,
          List.of(
              "n:id",
              "t:at",
              "s:user_id",
              "s:os_user",
              "s:host",
              "s:source",
              "s:channel",
              "s:action",
              "s:intent",
              "s:run_id",
              "s:environments",
              "s:rule",
              "b:refused",
              "s:reason"));

  static ChainEntry approval(String runId, String userId) {
    return new ChainEntry(Kind.APPROVAL, runId, userId, null);
  }

  static ChainEntry acknowledgement(String runId) {
    return new ChainEntry(Kind.ACKNOWLEDGEMENT, runId, null, null);
  }

  static ChainEntry access(long id) {
    return new ChainEntry(Kind.ACCESS, null, null, id);
  }

  /** The row's columns as stored, or empty when the row is gone. */
  Optional<Map<String, Object>> row(Connection connection) throws SQLException {
    List<String> columns = COLUMNS.get(kind);
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      select.append(i == 0 ? "" : ", ").append(columns.get(i).substring(2));
    }
    select.append(" FROM ").append(kind.table).append(" WHERE ").append(kind.where);
    Object[] key =
        switch (kind) {
          case APPROVAL -> new Object[] {runId, userId};
          case ACKNOWLEDGEMENT -> new Object[] {runId};
          case ACCESS -> new Object[] {accessId};
        };
    return Jdbc.query(connection, select.toString(), row -> read(row, columns), key).stream()
        .findFirst();
  }

  private static Map<String, Object> read(ResultSet row, List<String> columns) throws SQLException {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String column : columns) {
      String name = column.substring(2);
      Object value =
          switch (column.charAt(0)) {
            case 't' -> {
              Instant at = Jdbc.instant(row, name);
              yield at == null ? null : at.toEpochMilli();
            }
            case 'b' -> {
              boolean b = row.getBoolean(name);
              yield row.wasNull() ? null : b;
            }
            case 'n' -> {
              long n = row.getLong(name);
              yield row.wasNull() ? null : n;
            }
            default -> row.getString(name);
          };
      fields.put(name, value);
    }
    return fields;
  }

  /** How problems name it: "the decision of U01 on run r-1", "access log entry 7". */
  String describe() {
    return switch (kind) {
      case APPROVAL -> "the decision of " + userId + " on run " + runId;
      case ACKNOWLEDGEMENT -> "the acknowledgement of run " + runId;
      case ACCESS -> "access log entry " + accessId;
    };
  }
}
