package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases installed before the Slack outbox tables left the audit schema ({@code
 * V2__slack_outbox.sql}, kept byte for byte in test resources as {@link #RELEASED}) still open,
 * keep those tables and their rows, and record the retirement in the history; new databases no
 * longer get them from the audit schema. Any other difference in the history still fails.
 */
class AuditSchemaUpgradeTest {

  /** The audit migrations as released before the move: db/audit plus the former V2. */
  static final String RELEASED = "classpath:db/audit-released";

  @TempDir Path dir;

  /** Migrates {@code url} as an installed release did, up to {@code target} ("latest": all). */
  static void installReleased(String url, String target) {
    Flyway.configure()
        .dataSource(url, null, null)
        .locations(AuditStores.MIGRATIONS, RELEASED)
        .table(AuditStores.HISTORY_TABLE)
        .target(target)
        .load()
        .migrate();
  }

  private String url() {
    return AuditStores.defaultUrl(dir);
  }

  @Test
  void anInstalledDatabaseOpensKeepsTheOutboxRowsAndMarksTheRetiredMigrationDeleted()
      throws SQLException {
    installReleased(url(), "latest");
    execute(
        "INSERT INTO slack_outbox (run_id, channel, kind, body, created_at)"
            + " VALUES ('r-1', 'C1', 'NOTE', 'kept', CURRENT_TIMESTAMP)");

    AuditStores.open(url(), null, null).close();
    AuditStores.open(url(), null, null).close();

    assertThat(count("SELECT COUNT(*) FROM slack_outbox WHERE body = 'kept'")).isEqualTo(1);
    assertThat(count(history("\"version\" = '2' AND \"type\" = 'SQL'"))).isEqualTo(1);
    assertThat(count(history("\"version\" = '2' AND \"type\" = 'DELETE'"))).isEqualTo(1);
    assertThat(count(history("\"version\" = '5' AND \"success\""))).isEqualTo(1);
  }

  @Test
  void replicasUpgradingTogetherRecordTheRetirementOnce() throws Exception {
    installReleased(url(), "latest");
    var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      var opened = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int i = 0; i < 3; i++) {
        opened.add(pool.submit(() -> AuditStores.open(url(), null, null).close()));
      }
      for (var open : opened) {
        open.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count(history("\"version\" = '2' AND \"type\" = 'DELETE'"))).isEqualTo(1);
    AuditStores.open(url(), null, null).close();
  }

  @Test
  void aDatabaseInstalledBeforeLaterMigrationsGetsThem() throws SQLException {
    installReleased(url(), "2");
    assertThat(count(history("\"version\" = '3'"))).isZero();

    AuditStores.open(url(), null, null).close();

    assertThat(count(history("\"version\" = '5' AND \"success\""))).isEqualTo(1);
    assertThat(count(history("\"version\" = '2' AND \"type\" = 'DELETE'"))).isEqualTo(1);
  }

  @Test
  void aNewDatabaseHasNoOutboxTablesFromTheAuditSchema() throws SQLException {
    AuditStores.open(url(), null, null).close();

    assertThat(
            count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'SLACK%'"))
        .isZero();
    assertThat(count(history("\"version\" = '2'"))).isZero();
  }

  @Test
  void anyOtherDifferenceInTheHistoryStillFails() throws SQLException {
    installReleased(url(), "latest");
    execute(
        "UPDATE \""
            + AuditStores.HISTORY_TABLE
            + "\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");

    assertThatThrownBy(() -> AuditStores.open(url(), null, null))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(count(history("\"type\" = 'DELETE'"))).isZero();
  }

  private static String history(String condition) {
    return "SELECT COUNT(*) FROM \"" + AuditStores.HISTORY_TABLE + "\" WHERE " + condition;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private int count(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
