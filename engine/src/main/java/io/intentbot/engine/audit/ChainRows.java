package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reads what the hash chain covers, and its head row. */
final class ChainRows {

  /** The chain head: the last sealed seq and its hash. */
  record Head(long lastSeq, String lastHash) {}

  /** A sealed run's chain columns. */
  record Link(
      String runId,
      Long seq,
      String prevHash,
      String recordHash,
      Instant sealedAt,
      String recordMac) {}

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

  /** Every run with a seq, in seq order. */
  static List<Link> links(Connection connection) throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT id, seq, prev_hash, record_hash, sealed_at, record_mac FROM runs"
            + " WHERE seq IS NOT NULL ORDER BY seq",
        ChainRows::readLink);
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

  private static Long nullableLong(ResultSet row, String column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }
}
