package io.intentbot.bot.slack;

import io.intentbot.engine.audit.AuditStores;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplayKeys} in the audit database ({@code slack_replay_keys}, migrated with the outbox's
 * tables): a key is kept for {@link #KEEP} (Slack's signatures are good for 5), so a request
 * replayed to another replica sharing the database, or after a restart, is ignored. The first
 * insert of a key wins, whichever replica makes it. Keys are stored as their SHA-256.
 *
 * <p>While the database cannot be reached it remembers keys in memory ({@link RecentKeys}): no run
 * can be recorded then either, so a replay cannot act.
 */
public final class ReplayKeyStore implements ReplayKeys, AutoCloseable {

  /** How long a key is remembered. */
  public static final Duration KEEP = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(ReplayKeyStore.class);

  private final String url;
  private final String user;
  private final String password;
  private final Clock clock;
  private final RecentKeys fallback = new RecentKeys(10_000);
  private Connection connection;
  private Instant purged = Instant.EPOCH;

  private ReplayKeyStore(String url, String user, String password, Clock clock) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.clock = clock;
  }

  /**
   * Migrates the Slack adapter's tables in the audit database (as {@link OutboxStore#open} does)
   * and connects.
   *
   * @throws io.intentbot.engine.audit.AuditStoreException if they cannot be migrated
   */
  public static ReplayKeyStore open(String url, String user, String password, Clock clock) {
    AuditStores.migrate(url, user, password, OutboxStore.MIGRATIONS, OutboxStore.HISTORY_TABLE);
    return new ReplayKeyStore(url, user, password, clock);
  }

  /**
   * Connects beside an {@code outbox} already open on the same database: its {@link
   * OutboxStore#open} migrated these tables, so start-up runs Flyway over them once, not twice.
   */
  public static ReplayKeyStore besideOutbox(
      OutboxStore outbox, String url, String user, String password, Clock clock) {
    java.util.Objects.requireNonNull(outbox, "outbox");
    return new ReplayKeyStore(url, user, password, clock);
  }

  /**
   * Remembers all keys in one transaction (one commit per request on the acknowledgement's path); a
   * key already held by another replica is a repeat whichever commits first.
   */
  @Override
  public synchronized boolean firstTime(List<String> keys) {
    List<String> hashed = ReplayKeys.present(keys).stream().map(ReplayKeyStore::sha256).toList();
    if (hashed.isEmpty()) {
      return true;
    }
    Instant now = clock.instant();
    try {
      Connection c = connection();
      c.setAutoCommit(false);
      try {
        purge(c, now);
        boolean first = true;
        for (String key : hashed) {
          first &= remember(c, key, now);
        }
        c.commit();
        return first;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      log.warn(
          "cannot check the audit database for a repeated Slack request ({}); remembering it in"
              + " memory",
          e.getMessage());
      return fallback.firstTime(hashed);
    }
  }

  /**
   * Inserts a key, or renews one older than {@link #KEEP}; true when either happened. The insert
   * runs under a savepoint: PostgreSQL aborts the whole transaction on a failed statement.
   */
  private static boolean remember(Connection c, String key, Instant now) throws SQLException {
    Savepoint before = c.setSavepoint();
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO slack_replay_keys (replay_key, seen_at) VALUES (?, ?)")) {
      insert.setString(1, key);
      insert.setTimestamp(2, Timestamp.from(now));
      insert.executeUpdate();
      c.releaseSavepoint(before);
      return true;
    } catch (SQLException e) {
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw e;
      }
      c.rollback(before);
    }
    try (PreparedStatement renew =
        c.prepareStatement(
            "UPDATE slack_replay_keys SET seen_at = ? WHERE replay_key = ? AND seen_at < ?")) {
      renew.setTimestamp(1, Timestamp.from(now));
      renew.setString(2, key);
      renew.setTimestamp(3, Timestamp.from(now.minus(KEEP)));
      return renew.executeUpdate() == 1;
    }
  }

  /** Drops keys older than {@link #KEEP}, at most once a minute. */
  private void purge(Connection c, Instant now) throws SQLException {
    if (Duration.between(purged, now).compareTo(Duration.ofMinutes(1)) < 0) {
      return;
    }
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM slack_replay_keys WHERE seen_at < ?")) {
      delete.setTimestamp(1, Timestamp.from(now.minus(KEEP)));
      delete.executeUpdate();
    }
    purged = now;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed() || !connection.isValid(2)) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // replaced below
        }
      }
      connection = DriverManager.getConnection(url, user, password);
      connection.setAutoCommit(true);
    }
    return connection;
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // closing anyway
      }
      connection = null;
    }
  }
}
