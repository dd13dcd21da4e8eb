package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.ReviewRecord;
import java.sql.ResultSet;
import java.sql.SQLException;

/** SQL and row mapping of the {@code run_reviews} table. */
final class ReviewRows {

  static final String INSERT =
      "INSERT INTO run_reviews (run_id, user_id, reviewed_at, note) VALUES (?, ?, ?, ?)";

  static final String SELECT_FOR_RUN =
      "SELECT run_id, user_id, reviewed_at, note FROM run_reviews WHERE run_id = ?";

  /** Runs with a break-glass decision and no review yet, oldest first. */
  static final String AWAITING =
      RunRows.SELECT
          + " WHERE EXISTS (SELECT 1 FROM approvals a WHERE a.run_id = runs.id"
          + " AND a.comment LIKE '"
          + ApprovalRecord.BREAK_GLASS
          + "%')"
          + " AND NOT EXISTS (SELECT 1 FROM run_reviews v WHERE v.run_id = runs.id)"
          + " ORDER BY created_at, id";

  private ReviewRows() {}

  static Object[] insertParams(ReviewRecord review) {
    return new Object[] {review.runId(), review.user(), Jdbc.timestamp(review.at()), review.note()};
  }

  static ReviewRecord read(ResultSet row) throws SQLException {
    return new ReviewRecord(
        row.getString("run_id"),
        row.getString("user_id"),
        Jdbc.instant(row, "reviewed_at"),
        row.getString("note"));
  }
}
