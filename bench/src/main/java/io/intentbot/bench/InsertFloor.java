package io.intentbot.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The floor of the engine benchmark: one durable write, a row about the size of a step record
 * inserted and committed on its own, on the same database as the audit store (a table of its own
 * there), over one plain JDBC connection with a prepared statement. Durable means the commit has
 * reached the database's file when it returns: on H2 that takes the store's URL ({@code
 * WRITE_DELAY=0}; with H2's default a commit only lands in memory, about 0.01 ms, and a killed
 * process loses it), on PostgreSQL {@code synchronous_commit = on} (see {@link EngineBench}).
 */
final class InsertFloor implements AutoCloseable {

  private static final String OUTPUTS = "{\"value\":\"0\",\"n\":\"42\"}";

  private final Connection connection;
  private final PreparedStatement insert;
  private long next;

  InsertFloor(String url, String user, String password) throws SQLException {
    connection = DriverManager.getConnection(url, user, password);
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE bench_floor (id BIGINT PRIMARY KEY, run_id VARCHAR(64),"
              + " step_id VARCHAR(64), status VARCHAR(16), outputs VARCHAR(4000))");
    }
    connection.setAutoCommit(false);
    insert =
        connection.prepareStatement(
            "INSERT INTO bench_floor (id, run_id, step_id, status, outputs) VALUES (?, ?, ?, ?, ?)");
  }

  /** Inserts and commits {@code n} rows one at a time; returns the milliseconds it took. */
  double insertAndCommit(int n) throws SQLException {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long id = next++;
      insert.setLong(1, id);
      insert.setString(2, "r-bench-" + (id / 100));
      insert.setString(3, "s" + (id % 100));
      insert.setString(4, "SUCCEEDED");
      insert.setString(5, OUTPUTS);
      insert.executeUpdate();
      connection.commit();
    }
    return (System.nanoTime() - start) / 1e6;
  }

  @Override
  public void close() throws SQLException {
    insert.close();
    connection.close();
  }
}
