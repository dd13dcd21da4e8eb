package io.intentbot.engine.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;

/**
 * Opens audit stores: connects, migrates the schema with Flyway and returns a {@link
 * JdbcAuditStore}.
 *
 * <pre>{@code
 * try (AuditStore store = AuditStores.open(AuditStores.defaultUrl(Path.of("data")), null, null)) {
 *   store.createRun(run);
 * }
 * }</pre>
 *
 * <p>The schema's migrations live in {@code classpath:db/audit}, listed in its {@code
 * migrations.list} ({@link IndexedMigrations}: Flyway reads them from there instead of scanning the
 * class path, as it does for any location with such a list); Flyway records them in its own table,
 * {@value #HISTORY_TABLE}, so the audit schema can share a database with anything else. A database
 * that holds other tables but no audit schema yet (the Slack outbox's, when the bot migrated first)
 * gets the whole audit schema from version 1. Components that keep their own tables in the audit
 * database (the Slack outbox) migrate them with {@link #migrate(String, String, String, String,
 * String)}, under their own history table. A migration taken out of {@code db/audit} after release
 * is listed in {@link RetiredMigrations}.
 */
public final class AuditStores {

  /** Flyway's history table for the audit schema. */
  public static final String HISTORY_TABLE = "intentbot_schema_history";

  /** Where the audit schema's migrations are. */
  public static final String MIGRATIONS = "classpath:db/audit";

  private static final int POOL_SIZE = 8;

  /**
   * How long a statement waits for a connection when the database is unreachable: long enough to
   * ride out a blip (a restart, a fail-over), short enough that a chat command gets its "cannot
   * reach the audit database" answer promptly instead of hanging.
   */
  static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

  /**
   * Serialises this process's migrations. Two openers of a new database at once (a {@code run} and
   * a {@code history} in one JVM, two replicas) raced: the second found the first one's new, empty
   * history table and Flyway refused to baseline it ("already exists, and is empty"), since
   * Flyway's own lock is taken only after that decision.
   */
  private static final Object MIGRATIONS_IN_THIS_PROCESS = new Object();

  /** PostgreSQL advisory lock key serialising migrations among processes (replicas). */
  private static final long MIGRATION_LOCK_KEY = 0x1b7e_b07_a0d17L;

  private AuditStores() {}

  /**
   * The embedded default: the H2 file {@code intentbot} in {@code dataDir} ({@code
   * <dataDir>/intentbot.mv.db}). {@code AUTO_SERVER=TRUE} lets a second process (the CLI next to a
   * running bot) open the same file: the first process to open it serves it to the others over a
   * loopback TCP port, and another takes over when it exits. {@code LOCK_TIMEOUT} lets concurrent
   * seals wait for the chain head row instead of failing after H2's default of one second. {@code
   * WRITE_DELAY=0} makes every commit reach the file before it returns: with H2's default (500 ms)
   * a commit only lands in memory and a background thread writes it later, so a process killed
   * within that delay loses records it had committed (a step's start, a run's end), which the audit
   * trail promises never to lose. Like H2 in general it does not fsync, so an operating-system
   * crash or power loss can still lose the last writes; PostgreSQL is the store for that.
   *
   * <p>H2 closes the database in a JVM shutdown hook of its own, and {@code DB_CLOSE_ON_EXIT=FALSE}
   * cannot turn that off here: H2 refuses it next to {@code AUTO_SERVER=TRUE} ("Feature not
   * supported"). Shutdown hooks run at once in no order, so whatever must still write when the
   * process is told to stop (cancelling its runs) must do it before the JVM shuts down: the CLI and
   * the servers trap SIGINT and SIGTERM for that.
   */
  public static String defaultUrl(Path dataDir) {
    Path file = dataDir.toAbsolutePath().normalize().resolve("intentbot");
    return "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
  }

  /**
   * Connects to {@code jdbcUrl} (H2 or PostgreSQL; {@code user} and {@code password} may be null),
   * migrates the audit schema and returns the store. Closing the store closes its connections. A
   * password written into the URL ({@code ?password=} or {@code ;PASSWORD=}) is taken out of it and
   * passed as a property, so it never shows up where the URL is logged.
   *
   * @throws AuditStoreException if the database cannot be reached or migrated
   */
  public static JdbcAuditStore open(String jdbcUrl, String user, String password) {
    return open(jdbcUrl, user, password, Optional.empty());
  }

  /** As {@link #open(String, String, String)}; with a {@code key}, seals carry its MAC. */
  public static JdbcAuditStore open(
      String jdbcUrl, String user, String password, Optional<AuditKey> key) {
    HikariDataSource pool = pool(jdbcUrl, user, password);
    try {
      migrate(pool);
      return new JdbcAuditStore(pool, Clock.systemUTC(), pool::close, key);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Migrates the audit schema on {@code dataSource}, which the caller keeps and closes. */
  public static JdbcAuditStore open(DataSource dataSource) {
    migrate(dataSource);
    return new JdbcAuditStore(dataSource, Clock.systemUTC(), () -> {});
  }

  /**
   * The password written into {@code jdbcUrl} ({@code ?password=} or {@code ;PASSWORD=}), if any: a
   * secret for the runs to mask.
   */
  public static Optional<String> passwordInUrl(String jdbcUrl) {
    return jdbcUrl == null
        ? Optional.empty()
        : Optional.ofNullable(JdbcUrls.takePassword(jdbcUrl).password());
  }

  private static HikariDataSource pool(String jdbcUrl, String user, String password) {
    JdbcUrls.Split split = JdbcUrls.takePassword(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setPoolName("intentbot-audit");
    config.setJdbcUrl(split.url());
    config.setUsername(user);
    config.setPassword(password != null ? password : split.password());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new AuditStoreException(
          "audit store: cannot connect to " + JdbcUrls.redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
  }

  /**
   * Migrates the audit schema (every table in {@code classpath:db/audit}) on the database at {@code
   * jdbcUrl}, for a component that shares the audit database without opening the store.
   */
  public static void migrate(String jdbcUrl, String user, String password) {
    try (HikariDataSource pool = pool(jdbcUrl, user, password)) {
      migrate(pool);
    }
  }

  /**
   * Migrates a component's own tables in the audit database: the migrations at {@code locations}
   * (e.g. {@code classpath:db/slack}), recorded in {@code historyTable}, apart from the audit
   * schema's. The database need not be empty (the audit schema may be there already): a history
   * table that does not exist yet starts at version 0, so the component's first migration runs.
   *
   * @throws AuditStoreException if the database cannot be reached or migrated
   */
  public static void migrate(
      String jdbcUrl, String user, String password, String locations, String historyTable) {
    try (HikariDataSource pool = pool(jdbcUrl, user, password)) {
      serialised(
          pool,
          () ->
              IndexedMigrations.apply(Flyway.configure(), locations)
                  .dataSource(pool)
                  .locations(locations)
                  .table(historyTable)
                  .baselineOnMigrate(true)
                  .baselineVersion("0")
                  .load()
                  .migrate());
    } catch (AuditStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AuditStoreException(
          "audit store: cannot migrate " + locations + ": " + rootMessage(e), e);
    }
  }

  private static void migrate(DataSource dataSource) {
    serialised(dataSource, () -> migrateAlone(dataSource));
  }

  /**
   * Runs {@code migration} alone: alone in this process, and on PostgreSQL alone among processes (a
   * session advisory lock on a connection of its own, given back however the migration ends).
   */
  private static void serialised(DataSource dataSource, Runnable migration) {
    synchronized (MIGRATIONS_IN_THIS_PROCESS) {
      if (!isPostgres(dataSource)) {
        migration.run();
        return;
      }
      try (Connection lock = dataSource.getConnection();
          Statement statement = lock.createStatement()) {
        statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK_KEY + ")");
        try {
          migration.run();
        } finally {
          statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK_KEY + ")");
        }
      } catch (SQLException e) {
        throw new AuditStoreException(
            "audit store: cannot take the migration lock: " + rootMessage(e), e);
      }
    }
  }

  private static boolean isPostgres(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return connection
          .getMetaData()
          .getDatabaseProductName()
          .toLowerCase(Locale.ROOT)
          .contains("postgres");
    } catch (SQLException e) {
      throw new AuditStoreException(
          "audit store: cannot connect to migrate the schema: " + rootMessage(e), e);
    }
  }

  private static void migrateAlone(DataSource dataSource) {
    try {
      Flyway flyway =
          IndexedMigrations.apply(Flyway.configure(), MIGRATIONS)
              .dataSource(dataSource)
              .locations(MIGRATIONS)
              .table(HISTORY_TABLE)
              .baselineOnMigrate(true)
              .baselineVersion("0")
              .load();
      try {
        flyway.migrate();
      } catch (FlywayValidateException e) {
        if (!RetiredMigrations.markDeleted(flyway, dataSource, HISTORY_TABLE)) {
          throw e;
        }
        flyway.migrate();
      }
    } catch (RuntimeException e) {
      throw new AuditStoreException(
          "audit store: cannot migrate the audit schema: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
