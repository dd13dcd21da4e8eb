package io.intentbot.engine.model;

import java.time.Instant;

/**
 * One decision on a run waiting for approval.
 *
 * @param runId the run
 * @param user who decided
 * @param approved true for approve, false for reject
 * @param planHash the plan hash the decision was made on
 * @param at when
 * @param comment a reason, or null (the break-glass reason is stored here too)
 */
public record ApprovalRecord(
    String runId, String user, boolean approved, String planHash, Instant at, String comment) {

  /** How the comment of a break-glass decision starts; such a run needs review afterwards. */
  public static final String BREAK_GLASS = "break glass: ";

  /** The requester's own decision to run without waiting, with their reason. */
  public static ApprovalRecord breakGlass(
      String runId, String user, String planHash, Instant at, String reason) {
    return new ApprovalRecord(runId, user, true, planHash, at, BREAK_GLASS + reason);
  }

  /** The break-glass reason, when this decision was one. */
  public java.util.Optional<String> breakGlassReason() {
    return comment != null && comment.startsWith(BREAK_GLASS)
        ? java.util.Optional.of(comment.substring(BREAK_GLASS.length()))
        : java.util.Optional.empty();
  }
}
