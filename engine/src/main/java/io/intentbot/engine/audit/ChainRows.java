package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads what the hash chain covers, and its head row. */
final class ChainRows {

  /** The chain head: the last sealed seq and its hash. */
  record Head(long lastSeq, String lastHash) {}

  /**
   * The chain columns of a sealed run, or of another entry when {@code entry} is set (then {@code
   * runId} is the run it is about, or null).
   */
  record Link(
      String runId,
      Long seq,
      String prevHash,
      String recordHash,
      Instant sealedAt,
      String recordMac,
      ChainEntry entry) {

    Link(
        String runId,
        Long seq,
        String prevHash,
        String recordHash,
        Instant sealedAt,
        String recordMac) {
      this(runId, seq, prevHash, recordHash, sealedAt, recordMac, null);
    }

    /** How problems name it: "run r-1 (seq 3)", "the decision of U01 on run r-1 (seq 2)". */
    String describe() {
      return (entry == null ? "run " + runId : entry.describe()) + " (seq " + seq + ")";
    }
  }

  private static final String STEPS =
      "SELECT " + StepRows.COLUMNS + " FROM steps WHERE run_id = ? ORDER BY idx";

  private ChainRows() {}

  static Head lockHead(Connection connection) throws SQLException {
    return head(connection, " FOR UPDATE");
  }

  static Head head(Connection connection) throws SQLException {
    return head(connection, "");
  }

  private static Head head(Connection connection, String suffix) throws SQLException {
    List<Head> heads =
        Jdbc.query(
            connection,
            "SELECT last_seq, last_hash FROM chain_head WHERE id = 1" + suffix,
            row -> new Head(row.getLong("last_seq"), row.getString("last_hash")));
    if (heads.isEmpty()) {
      throw new SQLException("the chain_head row is missing", "02000");
    }
    return heads.get(0);
  }

  static void moveHead(Connection connection, long seq, String hash) throws SQLException {
    Jdbc.update(
        connection, "UPDATE chain_head SET last_seq = ?, last_hash = ? WHERE id = 1", seq, hash);
  }

  static Optional<RunRecord> run(Connection connection, String runId) throws SQLException {
    return Jdbc.query(connection, RunRows.SELECT + " WHERE id = ?", RunRows::read, runId).stream()
        .findFirst();
  }

  static Optional<Link> link(Connection connection, String runId) throws SQLException {
    return link(connection, runId, "");
  }

  /** The run's chain columns, its row locked until the transaction ends. */
  static Optional<Link> lockLink(Connection connection, String runId) throws SQLException {
    return link(connection, runId, " FOR UPDATE");
  }

  private static Optional<Link> link(Connection connection, String runId, String suffix)
      throws SQLException {
    return Jdbc.query(
            connection,
            "SELECT id, seq, prev_hash, record_hash, sealed_at, record_mac FROM runs WHERE id = ?"
                + suffix,
            ChainRows::readLink,
            runId)
        .stream()
        .findFirst();
  }

  /** Every entry of the chain, runs and the others, in seq order. */
  static List<Link> links(Connection connection) throws SQLException {
    List<Link> links = new ArrayList<>(runLinks(connection));
    links.addAll(
        Jdbc.query(
            connection,
            "SELECT kind, run_id, user_id, access_id, seq, prev_hash, record_hash, sealed_at,"
                + " record_mac FROM chain_entries ORDER BY seq",
            ChainRows::readEntryLink));
    links.sort(Comparator.comparing(Link::seq));
    return links;
  }

  /** Every run with a seq, in seq order. */
  static List<Link> runLinks(Connection connection) throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT id, seq, prev_hash, record_hash, sealed_at, record_mac FROM runs"
            + " WHERE seq IS NOT NULL ORDER BY seq",
        ChainRows::readLink);
  }

  static void insertEntry(Connection connection, Link link) throws SQLException {
    ChainEntry entry = link.entry();
    Jdbc.update(
        connection,
        "INSERT INTO chain_entries (seq, kind, run_id, user_id, access_id, prev_hash, record_hash,"
            + " sealed_at, record_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        link.seq(),
        entry.kind().column,
        entry.runId(),
        entry.userId(),
        entry.accessId(),
        link.prevHash(),
        link.recordHash(),
        Jdbc.timestamp(link.sealedAt()),
        link.recordMac());
  }

  /** How many rows of this kind were there before entries were sealed (the V12 migration). */
  static long legacy(Connection connection, ChainEntry.Kind kind) throws SQLException {
    return Jdbc.query(
            connection,
            "SELECT rows_before FROM chain_legacy WHERE kind = ?",
            row -> row.getLong("rows_before"),
            kind.column)
        .stream()
        .findFirst()
        .orElse(0L);
  }

  /** How many rows of {@code table} no chain entry covers (written before entries were sealed). */
  static long uncovered(Connection connection, ChainEntry.Kind kind) throws SQLException {
    String covered =
        switch (kind) {
          case APPROVAL -> "e.run_id = t.run_id AND e.user_id = t.user_id";
          case ACKNOWLEDGEMENT -> "e.run_id = t.run_id";
          case ACCESS -> "e.access_id = t.id";
        };
    return Jdbc.query(
            connection,
            "SELECT COUNT(*) AS n FROM "
                + kind.table
                + " t WHERE NOT EXISTS (SELECT 1 FROM chain_entries e WHERE e.kind = ? AND "
                + covered
                + ")",
            row -> row.getLong("n"),
            kind.column)
        .get(0);
  }

  /** Runs that carry a hash or seal time but no seq: their place in the chain was removed. */
  static List<String> unplacedSeals(Connection connection) throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT id FROM runs WHERE seq IS NULL AND (record_hash IS NOT NULL OR sealed_at IS NOT"
            + " NULL OR prev_hash IS NOT NULL OR record_mac IS NOT NULL) ORDER BY id",
        row -> row.getString("id"));
  }

  static SealedRun sealed(Connection connection, RunRecord run, long seq, Instant sealedAt)
      throws SQLException {
    List<SealedRun.StoredStep> steps =
        Jdbc.query(
            connection,
            STEPS,
            row -> new SealedRun.StoredStep(StepRows.read(row), nullableLong(row, "duration_ms")),
            run.id());
    List<ApprovalRecord> approvals =
        Jdbc.query(connection, ApprovalRows.SELECT_FOR_RUN, ApprovalRows::read, run.id());
    return new SealedRun(seq, sealedAt, run, steps, approvals);
  }

  private static Link readLink(ResultSet row) throws SQLException {
    return new Link(
        row.getString("id"),
        nullableLong(row, "seq"),
        row.getString("prev_hash"),
        row.getString("record_hash"),
        Jdbc.instant(row, "sealed_at"),
        row.getString("record_mac"));
  }

  private static Link readEntryLink(ResultSet row) throws SQLException {
    ChainEntry entry =
        new ChainEntry(
            ChainEntry.Kind.of(row.getString("kind")),
            row.getString("run_id"),
            row.getString("user_id"),
            nullableLong(row, "access_id"));
    return new Link(
        entry.runId(),
        nullableLong(row, "seq"),
        row.getString("prev_hash"),
        row.getString("record_hash"),
        Jdbc.instant(row, "sealed_at"),
        row.getString("record_mac"),
        entry);
  }

  private static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
