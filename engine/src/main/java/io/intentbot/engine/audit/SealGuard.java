package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A sealed run is final: its row, steps and approvals no longer change through the store (a change
 * would read as tampering). Writers lock the run row first, as {@link ChainSealer} does, so a write
 * and a seal of one run never interleave.
 */
final class SealGuard {

  private SealGuard() {}

  /**
   * Locks the run's row for this transaction and returns whether it may still change: false when
   * sealed; fails when there is no such run.
   */
  static boolean lockOpenRun(Connection connection, String runId) throws SQLException {
    ChainRows.Link link =
        ChainRows.lockLink(connection, runId)
            .orElseThrow(() -> new AuditStoreException("audit store: no run " + runId));
    return link.seq() == null;
  }

  static AuditStoreException sealed(String runId, String what) {
    return new AuditStoreException(
        "audit store: run " + runId + " is sealed; its " + what + " can no longer change");
  }
}
