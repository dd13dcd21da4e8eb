package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Connection and statement plumbing shared by the store's parts. */
final class Jdbc {

  /** Work on one connection. */
  interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** Reads one row. */
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Runs {@code work} on a connection in auto-commit mode. */
  <T> T withConnection(String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      return work.apply(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  <T> T inTransaction(String what, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  static AuditStoreException failure(String what, SQLException e) {
    return new AuditStoreException(
        "audit store: "
            + what
            + " failed: "
            + e.getMessage()
            + " (SQLState "
            + e.getSQLState()
            + ")",
        e);
  }

  /**
   * Whether {@code e} is a unique or primary key violation (SQLState 23505 on H2 and PostgreSQL).
   */
  static boolean isDuplicateKey(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static int update(Connection connection, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    }
  }

  static <T> List<T> query(Connection connection, String sql, RowReader<T> reader, Object... params)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(reader.read(rows));
        }
        return result;
      }
    }
  }

  static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object value = params[i];
      int index = i + 1;
      if (value instanceof Instant instant) {
        statement.setObject(index, toTimestamp(instant));
      } else if (value instanceof NullTimestamp) {
        statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
      } else if (value == null) {
        statement.setNull(index, Types.NULL); // untyped: the column decides
      } else {
        statement.setObject(index, value);
      }
    }
  }

  /** A timestamp parameter: the instant, or a typed null. */
  static Object timestamp(Instant instant) {
    return instant == null ? NullTimestamp.INSTANCE : instant;
  }

  static OffsetDateTime toTimestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Marker for a null timestamp parameter, so drivers learn its type. */
  enum NullTimestamp {
    INSTANCE
  }
}
