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

  /**
   * Which messages go first in a channel: approval cards, final results and notices ahead of
   * progress and step output. A run's own messages keep their order whatever their priority.
   */
  public enum Priority {
    /** Approval cards, a run's final top message, notices: posted before what is ordinary. */
    URGENT,
    /** Progress notes, step output, files, top messages of a run in progress. */
    ORDINARY;

    /** The priority a kind has unless the writer says otherwise: notices are urgent. */
    static Priority of(Kind kind) {
      return kind == Kind.NOTICE ? URGENT : ORDINARY;
    }
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

  /** Stores a message with its kind's {@link Priority#of priority}; returns its id. */
  public long add(String runId, String channel, Kind kind, String body, String blocks) {
    return add(runId, channel, kind, Priority.of(kind), body, blocks);
  }

  /** Stores a message; returns its id. */
  public synchronized long add(
      String runId, String channel, Kind kind, Priority priority, String body, String blocks) {
    try (PreparedStatement st =
        connection()
            .prepareStatement(
                "INSERT INTO slack_outbox (run_id, channel, kind, priority, body, blocks,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      st.setString(1, runId);
      st.setString(2, channel);
      st.setString(3, kind.name());
      st.setInt(4, priority.ordinal());
      st.setString(5, body);
      st.setString(6, blocks);
      st.setTimestamp(7, Timestamp.from(clock.instant()));
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a Slack message: " + e.getMessage(), e);
    }
  }

  private static final String COLUMNS =
      "SELECT id, run_id, channel, kind, body, blocks, attempts FROM slack_outbox";

  /** Undelivered messages, oldest first (every channel; for inspection and tests). */
  public synchronized List<Message> pending(int limit) {
    return read(COLUMNS + " WHERE delivered_at IS NULL ORDER BY id", limit);
  }

  /**
   * The channels with undelivered messages: those with an urgent one first, then by their oldest
   * message. Each is read on its own ({@link #next}), so no channel's backlog hides another's.
   */
  public synchronized List<String> pendingChannels() {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st =
            connection()
                .prepareStatement(
                    "SELECT channel FROM slack_outbox WHERE delivered_at IS NULL GROUP BY channel"
                        + " ORDER BY MIN(priority), MIN(id)");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outbox: " + e.getMessage(), e);
    }
  }

  /**
   * What {@code channel} is to get next: its most urgent undelivered message (oldest first among
   * equals) and, unless that is a {@link Kind#NOTICE}, the undelivered messages of the same run in
   * the channel (notices aside), oldest first, at most {@code limit}: a run's thread keeps its
   * order, and the run with an approval card or a final result is the one served.
   */
  public synchronized List<Message> next(String channel, int limit) {
    List<Message> top = read(NEXT_IN_CHANNEL, 1, channel);
    if (top.isEmpty() || top.get(0).kind() == Kind.NOTICE) {
      return top;
    }
    return read(NEXT_OF_RUN, limit, channel, top.get(0).runId(), Kind.NOTICE.name());
  }

  /** A channel's most urgent undelivered message (read through its own index). */
  static final String NEXT_IN_CHANNEL =
      COLUMNS + " WHERE delivered_at IS NULL AND channel = ? ORDER BY priority, id";

  /** A run's undelivered messages in a channel, notices aside (read through the run's index). */
  static final String NEXT_OF_RUN =
      COLUMNS
          + " WHERE delivered_at IS NULL AND channel = ? AND run_id = ? AND kind <> ?"
          + " ORDER BY id";

  private List<Message> read(String sql, int limit, String... args) {
    List<Message> out = new ArrayList<>();
    try (PreparedStatement st = connection().prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setString(i + 1, args[i]);
      }
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

  /**
   * Claims undelivered messages for {@code holder} until {@code until}, all or none: true when
   * every one of {@code ids} was undelivered and unclaimed (or its claim had lapsed, or was {@code
   * holder}'s own). Each row is claimed by one conditional UPDATE, so of two processes claiming the
   * same message at once one gets it; a process sends only what it claimed, and a message is sent
   * once even when two processes drain the outbox around a hand-over. {@link #failed} releases the
   * claim; delivered messages need none.
   */
  public synchronized boolean claim(Collection<Long> ids, String holder, Instant until) {
    Instant now = clock.instant();
    try {
      Connection c = connection();
      c.setAutoCommit(false);
      try (PreparedStatement st =
          c.prepareStatement(
              "UPDATE slack_outbox SET claimed_by = ?, claimed_until = ? WHERE id = ?"
                  + " AND delivered_at IS NULL"
                  + " AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)")) {
        int claimed = 0;
        for (long id : ids) {
          st.setString(1, holder);
          st.setTimestamp(2, Timestamp.from(until));
          st.setLong(3, id);
          st.setTimestamp(4, Timestamp.from(now));
          st.setString(5, holder);
          claimed += st.executeUpdate();
        }
        if (claimed == ids.size()) {
          c.commit();
          return true;
        }
        c.rollback();
        return false;
      } catch (SQLException e) {
        c.rollback(); // e.g. a deadlock with another claimer: not claimed, tried next pass
        return false;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot claim Slack messages: " + e.getMessage(), e);
    }
  }

  /**
   * Counts a failed attempt and releases the messages' claim; gives them up (marks them delivered)
   * when {@code giveUp}.
   */
  public synchronized void failed(Collection<Long> ids, String error, boolean giveUp) {
    update(
        giveUp
            ? "UPDATE slack_outbox SET attempts = attempts + 1, last_error = ?, delivered_at = ?,"
                + " claimed_by = NULL, claimed_until = NULL WHERE id = ?"
            : "UPDATE slack_outbox SET attempts = attempts + 1, last_error = ?,"
                + " claimed_by = NULL, claimed_until = NULL WHERE id = ?",
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
