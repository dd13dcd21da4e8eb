package io.intentbot.engine.steps;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Builds the schema a datasource's migrations create, next to the live one, somewhere that leaves
 * nothing behind, and reads both:
 *
 * <ul>
 *   <li>H2: a private in-memory database in this JVM (with the live URL's compatibility settings
 *       such as {@code MODE}), gone when its last connection closes;
 *   <li>PostgreSQL: a schema created inside a transaction on the live database and migrated there
 *       through that same transaction, which is rolled back at the end (PostgreSQL DDL is
 *       transactional, and other sessions never see uncommitted catalog rows). Lock waits are
 *       capped, and a migration that writes outside the shadow (a schema-qualified name) fails the
 *       comparison instead of being trusted.
 * </ul>
 */
final class ShadowSchemas {

  /** The two sides of a comparison. */
  record Snapshots(SchemaSnapshot expected, SchemaSnapshot live, String shadow) {}

  private static final List<String> H2_SETTINGS =
      List.of(
          "MODE",
          "DATABASE_TO_UPPER",
          "DATABASE_TO_LOWER",
          "CASE_INSENSITIVE_IDENTIFIERS",
          "IGNORECASE",
          "NON_KEYWORDS",
          "DEFAULT_NULL_ORDERING");

  private ShadowSchemas() {}

  static boolean supports(String url) {
    return url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:");
  }

  /** How the shadow is made, for plans and output. */
  static String describe(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return "a temporary schema in a transaction that is rolled back";
    }
    String settings = h2Settings(url);
    return "a private in-memory H2 database"
        + (settings.isEmpty() ? "" : " (" + settings.substring(1) + ")");
  }

  /**
   * Reads the live schema and builds the expected one from {@code locations} up to {@code version}
   * (nothing when null).
   */
  static Snapshots compare(
      String url,
      String user,
      String password,
      List<String> locations,
      String version,
      Set<String> ignored)
      throws SQLException {
    return url.startsWith("jdbc:postgresql:")
        ? postgres(url, user, password, locations, version, ignored)
        : h2(url, user, password, locations, version, ignored);
  }

  private static Snapshots h2(
      String url,
      String user,
      String password,
      List<String> locations,
      String version,
      Set<String> ignored)
      throws SQLException {
    SchemaSnapshot live;
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      connection.setReadOnly(true);
      live = SchemaSnapshot.read(connection, connection.getSchema(), ignored);
    }
    String name = "intentbot_shadow_" + UUID.randomUUID().toString().replace("-", "");
    String shadowUrl = "jdbc:h2:mem:" + name + h2Settings(url);
    try (Connection keeper = DriverManager.getConnection(shadowUrl, "sa", "")) {
      if (version != null) {
        flyway(locations, version).dataSource(shadowUrl, "sa", "").load().migrate();
      }
      return new Snapshots(
          SchemaSnapshot.read(keeper, keeper.getSchema(), ignored), live, describe(url));
    }
  }

  private static Snapshots postgres(
      String url,
      String user,
      String password,
      List<String> locations,
      String version,
      Set<String> ignored)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      connection.setAutoCommit(false);
      try {
        String schema = connection.getSchema();
        if (schema == null) {
          throw new SQLException("the live connection has no current schema (check search_path)");
        }
        SchemaSnapshot live = SchemaSnapshot.read(connection, schema, ignored);
        String shadow = "intentbot_shadow_" + UUID.randomUUID().toString().replace("-", "");
        try (Statement statement = connection.createStatement()) {
          statement.execute("set local lock_timeout = '5s'");
          statement.execute("create schema " + shadow);
        } catch (SQLException e) {
          if (!"42501".equals(e.getSQLState())) {
            throw e;
          }
          throw new SQLException(
              "user may not create the shadow schema (it is rolled back at the end); grant it"
                  + " CREATE on the database: "
                  + e.getMessage(),
              e);
        }
        if (version != null) {
          flyway(locations, version)
              .dataSource(new TransactionBoundDataSource(connection))
              .defaultSchema(shadow)
              .schemas(shadow)
              .createSchemas(false)
              .load()
              .migrate();
        }
        requireOnlyShadowWritten(connection, shadow);
        SchemaSnapshot expected = SchemaSnapshot.read(connection, shadow, ignored);
        return new Snapshots(expected, live, describe(url));
      } finally {
        rollback(connection);
      }
    }
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      // closing the connection ends the transaction without committing it
    }
  }

  private static FluentConfiguration flyway(List<String> locations, String version) {
    return Flyway.configure()
        .locations(locations.toArray(String[]::new))
        .target(version)
        .cleanDisabled(true);
  }

  /**
   * Fails when the migrations took a write lock on a relation outside the shadow (they name a
   * schema, so they changed, inside the rolled-back transaction, objects the shadow lacks), or when
   * the transaction was rolled back under the shadow.
   */
  private static void requireOnlyShadowWritten(Connection connection, String shadow)
      throws SQLException {
    try (PreparedStatement exists =
        connection.prepareStatement(
            "select 1 from information_schema.schemata where schema_name = ?")) {
      exists.setString(1, shadow);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the shadow schema was rolled back while migrating");
        }
      }
    }
    List<String> outside = new ArrayList<>();
    try (PreparedStatement locks =
        connection.prepareStatement(
            "select distinct n.nspname || '.' || c.relname from pg_locks l"
                + " join pg_class c on c.oid = l.relation"
                + " join pg_namespace n on n.oid = c.relnamespace"
                + " where l.pid = pg_backend_pid() and l.mode <> 'AccessShareLock'"
                + " and n.nspname <> ? and n.nspname <> 'information_schema'"
                + " and n.nspname not like 'pg\\_%' order by 1")) {
      locks.setString(1, shadow);
      try (ResultSet rs = locks.executeQuery()) {
        while (rs.next()) {
          outside.add(rs.getString(1));
        }
      }
    }
    if (!outside.isEmpty()) {
      throw new SQLException(
          "the migrations write outside the shadow schema ("
              + String.join(", ", outside)
              + "), so the schema they expect cannot be built there; they were rolled back");
    }
  }

  /** The compatibility settings of an H2 URL, as {@code ;KEY=value} pairs. */
  private static String h2Settings(String url) {
    StringBuilder settings = new StringBuilder();
    String[] parts = url.split(";");
    for (int i = 1; i < parts.length; i++) {
      int equals = parts[i].indexOf('=');
      if (equals > 0
          && H2_SETTINGS.contains(parts[i].substring(0, equals).trim().toUpperCase(Locale.ROOT))) {
        settings.append(';').append(parts[i].trim());
      }
    }
    return settings.toString();
  }
}
