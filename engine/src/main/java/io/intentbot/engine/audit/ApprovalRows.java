package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL and row mapping of the {@code approvals} table. */
final class ApprovalRows {

  static final String INSERT =
      "INSERT INTO approvals (run_id, user_id, approved, plan_hash, decided_at, comment)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  static final String SELECT_FOR_RUN =
      "SELECT run_id, user_id, approved, plan_hash, decided_at, comment FROM approvals"
          + " WHERE run_id = ?"
          // in the order they were counted (their place), as the thread shows them; then by time
          + " ORDER BY CASE WHEN place IS NULL THEN 1 ELSE 0 END, place, decided_at, user_id";

  private ApprovalRows() {}

  static Object[] insertParams(ApprovalRecord approval) {
    return new Object[] {
      approval.runId(),
      approval.user(),
      approval.approved(),
      approval.planHash(),
      Jdbc.timestamp(approval.at()),
      approval.comment()
    };
  }

  static ApprovalRecord read(ResultSet row) throws SQLException {
    return new ApprovalRecord(
        row.getString("run_id"),
        row.getString("user_id"),
        row.getBoolean("approved"),
        row.getString("plan_hash"),
        Jdbc.instant(row, "decided_at"),
        row.getString("comment"));
  }
}
