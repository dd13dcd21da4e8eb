package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A sealed run is final: its row, steps and approvals no longer change through the store (a change
 * would read as tampering). Writers lock the run row first, as {@link ChainSealer} does, so a write
 * and a seal of one run never interleave.
 */
final class SealGuard {

  /**
   * The lock: the run's {@code seq} alone. H2 parses a {@code FOR UPDATE} query again every time
   * (its query cache skips them), and it is taken before every step write, so it names one column
   * rather than the chain link's six.
   */
  private static final String LOCK = "SELECT seq FROM runs WHERE id = ? FOR UPDATE";

  private SealGuard() {}

  /**
   * Locks the run's row for this transaction and returns whether it may still change: false when
   * sealed; fails when there is no such run.
   */
  static boolean lockOpenRun(Connection connection, String runId) throws SQLException {
    List<Boolean> open = Jdbc.query(connection, LOCK, row -> row.getObject(1) == null, runId);
    if (open.isEmpty()) {
      throw new AuditStoreException("audit store: no run " + runId);
    }
    return open.get(0);
  }

  static AuditStoreException sealed(String runId, String what) {
    return new AuditStoreException(
        "audit store: run " + runId + " is sealed; its " + what + " can no longer change");
  }
}
