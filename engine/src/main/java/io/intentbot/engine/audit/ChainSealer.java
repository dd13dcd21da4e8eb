package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Appends to the hash chain: finished runs, and (in the transaction that writes their row) the
 * other entries ({@link ChainEntry}: approvals, acknowledgements, access log entries). Each append
 * first locks the chain head row, so appends from any number of threads or processes on one
 * database queue up and the chain never forks; a transaction that also locks a run's row takes the
 * head first, as a seal does, so the two never wait for each other in a circle. With an {@link
 * AuditKey}, each entry also gets its MAC.
 */
final class ChainSealer {

  private final Jdbc jdbc;
  private final Clock clock;
  private final Optional<AuditKey> key;

  ChainSealer(Jdbc jdbc, Clock clock, Optional<AuditKey> key) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.key = key;
  }

  void seal(String runId) {
    jdbc.inTransaction(
        "seal run " + runId,
        connection -> {
          ChainRows.Head head = ChainRows.lockHead(connection);
          ChainRows.Link link =
              ChainRows.lockLink(connection, runId)
                  .orElseThrow(() -> new AuditStoreException("audit store: no run " + runId));
          if (link.seq() != null) {
            return null;
          }
          RunRecord run = ChainRows.run(connection, runId).orElseThrow();
          if (!run.status().isTerminal()) {
            throw new AuditStoreException(
                "audit store: cannot seal run " + runId + ": it is still " + run.status().label());
          }
          long seq = head.lastSeq() + 1;
          Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
          SealedRun sealed = ChainRows.sealed(connection, run, seq, sealedAt);
          String hash = ChainHasher.hash(head.lastHash(), sealed);
          Jdbc.update(
              connection,
              "UPDATE runs SET seq = ?, prev_hash = ?, record_hash = ?, sealed_at = ?,"
                  + " record_mac = ? WHERE id = ? AND seq IS NULL",
              seq,
              head.lastHash(),
              hash,
              sealedAt,
              key.map(k -> k.mac(seq, hash)).orElse(null),
              runId);
          ChainRows.moveHead(connection, seq, hash);
          return null;
        });
  }

  /**
   * Seals {@code entry}'s row, written in this transaction, as the next entry after {@code head}
   * (locked by this transaction with {@link ChainRows#lockHead}, before any run row).
   */
  void append(Connection connection, ChainRows.Head head, ChainEntry entry) throws SQLException {
    Map<String, Object> row =
        entry
            .row(connection)
            .orElseThrow(
                () -> new AuditStoreException("audit store: " + entry.describe() + " is missing"));
    long seq = head.lastSeq() + 1;
    Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String hash = ChainHasher.hash(head.lastHash(), seq, sealedAt, entry, row);
    ChainRows.insertEntry(
        connection,
        new ChainRows.Link(
            entry.runId(),
            seq,
            head.lastHash(),
            hash,
            sealedAt,
            key.map(k -> k.mac(seq, hash)).orElse(null),
            entry));
    ChainRows.moveHead(connection, seq, hash);
  }
}
