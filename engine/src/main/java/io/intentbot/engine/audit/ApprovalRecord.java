package io.intentbot.engine.audit;

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
    String runId, String user, boolean approved, String planHash, Instant at, String comment) {}
