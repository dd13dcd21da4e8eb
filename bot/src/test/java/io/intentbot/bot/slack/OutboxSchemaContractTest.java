package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The outbox's tables are the bot's own migrations, under its own history table in the audit
 * database; a database installed when they came from the audit schema's {@code V2__slack_outbox}
 * keeps them and their undelivered messages. Runs on H2 ({@link OutboxSchemaTest}) and PostgreSQL
 * ({@link OutboxSchemaPostgresIT}).
 */
abstract class OutboxSchemaContractTest {

  /** A new, empty database; user {@link #user()}, no password. */
  protected abstract String newDatabaseUrl() throws SQLException;

  protected String user() {
    return null;
  }

  @Test
  void aNewDatabaseGetsTheOutboxFromTheBotsOwnMigrationsInEitherOrder() throws Exception {
    String first = newDatabaseUrl();
    try (OutboxStore outbox = OutboxStore.open(first, user(), null);
        AuditStore audit = AuditStores.open(first, user(), null)) {
      outbox.add("r-1", "C1", OutboxStore.Kind.NOTE, "hello", null);
      assertThat(outbox.pending(10)).hasSize(1);
      assertThat(audit.recentRuns(null, 1)).isEmpty();
    }
    String second = newDatabaseUrl();
    try (AuditStore audit = AuditStores.open(second, user(), null);
        OutboxStore outbox = OutboxStore.open(second, user(), null)) {
      outbox.saveThread("r-1", "C1", "1.2");
      assertThat(outbox.thread("r-1")).isPresent();
    }
    for (String url : new String[] {first, second}) {
      assertThat(count(url, history(OutboxStore.HISTORY_TABLE, "version = '1' AND success")))
          .isEqualTo(1);
      assertThat(count(url, history(AuditStores.HISTORY_TABLE, "version = '2'"))).isZero();
    }
  }

  @Test
  void anInstalledDatabaseKeepsItsOutboxAndUndeliveredMessages() throws Exception {
    String url = newDatabaseUrl();
    Flyway.configure()
        .dataSource(url, user(), null)
        .locations(AuditStores.MIGRATIONS, "classpath:db/audit-released")
        .table(AuditStores.HISTORY_TABLE)
        .load()
        .migrate();
    try (Connection connection = DriverManager.getConnection(url, user(), null);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO slack_outbox (run_id, channel, kind, body, created_at)"
              + " VALUES ('r-old', 'C1', 'OUTPUT', 'waiting since the upgrade', CURRENT_TIMESTAMP)");
    }

    try (OutboxStore outbox = OutboxStore.open(url, user(), null);
        AuditStore audit = AuditStores.open(url, user(), null)) {
      assertThat(outbox.pending(10))
          .singleElement()
          .satisfies(m -> assertThat(m.body()).isEqualTo("waiting since the upgrade"));
      long added = outbox.add("r-new", "C1", OutboxStore.Kind.NOTE, "after", null);
      assertThat(outbox.pending(10))
          .hasSize(2)
          .last()
          .satisfies(m -> assertThat(m.id()).isEqualTo(added));
      assertThat(audit.recentRuns(null, 1)).isEmpty();
    }
    try (OutboxStore outbox = OutboxStore.open(url, user(), null)) {
      assertThat(outbox.pending(10)).hasSize(2);
    }
    assertThat(count(url, history(OutboxStore.HISTORY_TABLE, "version = '1' AND success")))
        .isEqualTo(1);
    assertThat(count(url, history(AuditStores.HISTORY_TABLE, "version = '2' AND type = 'DELETE'")))
        .isEqualTo(1);
  }

  private static String history(String table, String condition) {
    return "SELECT COUNT(*) FROM \""
        + table
        + "\" WHERE "
        + condition
            .replace("version", "\"version\"")
            .replace("success", "\"success\"")
            .replace("type", "\"type\"");
  }

  private int count(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user(), null);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
