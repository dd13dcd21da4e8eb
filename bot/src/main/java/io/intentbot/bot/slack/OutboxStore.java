package io.intentbot.bot.slack;

import io.intentbot.engine.audit.AuditStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the Slack adapter is to post, stored in the audit database before it is sent, so that
 * nothing is lost when Slack is slow or down or the bot restarts. Also remembers the message that
 * heads each run's thread. Safe for concurrent use (one connection, serialized).
 *
 * <p>Its tables are the bot's own: {@link #open} migrates {@value #MIGRATIONS} in the audit
 * database under the history table {@value #HISTORY_TABLE}, apart from the audit schema's, so it
 * works before or after the audit store is opened. Databases migrated when these tables were part
 * of the audit schema ({@code db/audit/V2__slack_outbox.sql}) keep them and their rows.
 */
public final class OutboxStore implements AutoCloseable {

  /** Where the outbox's migrations are. */
  public static final String MIGRATIONS = "classpath:db/slack";

  /** Flyway's history table for the outbox's tables. */
  public static final String HISTORY_TABLE = "intentbot_slack_schema_history";

  /** What an outbox row carries. */
  public enum Kind {
    /** The run's top message: posted once, then updated. */
    HEAD,
    /** A progress note in the thread. */
    NOTE,
    /** A line of step output in the thread. */
    OUTPUT,
    /** A message on its own in a channel (break-glass notices, DMs), not in a thread. */
    NOTICE,
    /** A file in the thread: the body is its content, {@code blocks} its name and title (JSON). */
    FILE
  }

  /** One stored message. */
  public record Message(
      long id, String runId, String channel, Kind kind, String body, String blocks, int attempts) {}

  /**
   * The message heading a run's thread; or, when Slack refused the top message for good ({@link
   * #refuseThread}), a marker whose {@code ts} starts with {@value #REFUSED}: no thread will come.
   */
  public record ThreadRef(String runId, String channel, String ts) {
    /** Whether Slack refused this run's top message for good (nothing goes into the channel). */
    public boolean refused() {
      return ts.startsWith(REFUSED);
    }
  }

  /** How {@link ThreadRef#ts} marks a run whose top message Slack refused for good. */
  public static final String REFUSED = "!";

  private final String url;
  private final String user;
  private final String password;
  private final Clock clock;
  private Connection connection;
  private boolean closed;

  private OutboxStore(
      String url, String user, String password, Clock clock, Connection connection) {
    this.clock = clock;
    this.url = url;
    this.user = user;
    this.password = password;
    this.connection = connection;
  }

  /** The connection, opened again when the database dropped it (a restart, a network blip). */
  private Connection connection() throws SQLException {
    if (closed) {
      throw new SQLException("the outbox is closed");
    }
    if (connection.isClosed() || !connection.isValid(2)) {
      try {
        connection.close();
      } catch (SQLException e) {
        // replaced below
      }
      connection = DriverManager.getConnection(url, user, password);
      connection.setAutoCommit(true);
    }
    return connection;
  }

  /**
   * Migrates the outbox's tables in the audit database, then connects to it.
   *
   * @throws io.intentbot.engine.audit.AuditStoreException if they cannot be migrated
   */
  public static OutboxStore open(String url, String user, String password) {
    return open(url, user, password, Clock.systemUTC());
  }

  /** As {@link #open(String, String, String)}, stamping rows with {@code clock}'s time. */
  public static OutboxStore open(String url, String user, String password, Clock clock) {
    AuditStores.migrate(url, user, password, MIGRATIONS, HISTORY_TABLE);
    try {
      Connection connection = DriverManager.getConnection(url, user, password);
      connection.setAutoCommit(true);
      return new OutboxStore(url, user, password, clock, connection);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot open the outbox at " + url + ": " + e.getMessage(), e);
    }
  }

  public synchronized long add(
      String runId, String channel, Kind kind, String body, String blocks) {
    try (PreparedStatement st =
        connection()
            .prepareStatement(
                "INSERT INTO slack_outbox (run_id, channel, kind, body, blocks, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      st.setString(1, runId);
      st.setString(2, channel);
      st.setString(3, kind.name());
      st.setString(4, body);
      st.setString(5, blocks);
      st.setTimestamp(6, Timestamp.from(clock.instant()));
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a Slack message: " + e.getMessage(), e);
    }
  }

  /** Undelivered messages, oldest first. */
  public synchronized List<Message> pending(int limit) {
    List<Message> out = new ArrayList<>();
    try (PreparedStatement st =
        connection()
            .prepareStatement(
                "SELECT id, run_id, channel, kind, body, blocks, attempts FROM slack_outbox"
                    + " WHERE delivered_at IS NULL ORDER BY id")) {
      st.setMaxRows(limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Message(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  Kind.valueOf(rs.getString(4)),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getInt(7)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox: " + e.getMessage(), e);
    }
  }

  public synchronized void delivered(Collection<Long> ids) {
    update("UPDATE slack_outbox SET delivered_at = ? WHERE id = ?", ids, null);
  }

  /** Counts a failed attempt; gives the messages up (marks them delivered) when {@code giveUp}. */
  public synchronized void failed(Collection<Long> ids, String error, boolean giveUp) {
    update(
        giveUp
            ? "UPDATE slack_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?"
                + " WHERE id = ?"
            : "UPDATE slack_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?",
        ids,
        error == null ? "" : error.substring(0, Math.min(error.length(), 1000)));
  }

  private void update(String sql, Collection<Long> ids, String error) {
    try (PreparedStatement st = connection().prepareStatement(sql)) {
      for (long id : ids) {
        int i = 1;
        if (error != null) {
          st.setString(i++, error);
        }
        if (sql.contains("delivered_at = ?")) {
          st.setTimestamp(i++, Timestamp.from(clock.instant()));
        }
        st.setLong(i, id);
        st.addBatch();
      }
      st.executeBatch();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the outbox: " + e.getMessage(), e);
    }
  }

  /** Deletes messages delivered before {@code before}; returns how many. */
  public synchronized int purgeDelivered(Instant before) {
    try (PreparedStatement st =
        connection().prepareStatement("DELETE FROM slack_outbox WHERE delivered_at < ?")) {
      st.setTimestamp(1, Timestamp.from(before));
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot purge the outbox: " + e.getMessage(), e);
    }
  }

  public synchronized Optional<ThreadRef> thread(String runId) {
    try (PreparedStatement st =
        connection().prepareStatement("SELECT channel, ts FROM slack_thread WHERE run_id = ?")) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new ThreadRef(runId, rs.getString(1), rs.getString(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read a Slack thread: " + e.getMessage(), e);
    }
  }

  public synchronized void saveThread(String runId, String channel, String ts) {
    try (PreparedStatement st =
        connection()
            .prepareStatement(
                "INSERT INTO slack_thread (run_id, channel, ts, created_at) VALUES (?, ?, ?, ?)")) {
      st.setString(1, runId);
      st.setString(2, channel);
      st.setString(3, ts);
      st.setTimestamp(4, Timestamp.from(clock.instant()));
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a Slack thread: " + e.getMessage(), e);
    }
  }

  /**
   * Remembers that Slack refused the run's top message in {@code channel} for good ({@code error}):
   * later versions of it and its lines are not sent there.
   */
  public void refuseThread(String runId, String channel, String error) {
    String why = error == null ? "" : error;
    saveThread(runId, channel, REFUSED + why.substring(0, Math.min(why.length(), 60)));
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      connection.close();
    } catch (SQLException e) {
      // closing: nothing left to do
    }
  }
}
