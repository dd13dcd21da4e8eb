package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Appends finished runs to the hash chain. Each seal is one transaction that first locks the chain
 * head row, so seals from any number of threads or processes on one database queue up and the chain
 * never forks. With an {@link AuditKey}, each sealed run also gets its MAC.
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
}
