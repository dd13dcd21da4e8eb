package io.intentbot.engine.config;

import java.time.Duration;
import java.util.List;

/**
 * Who may approve a run in a protected environment.
 *
 * @param approvers chat user ids allowed to approve
 * @param groups chat user group ids whose members may approve
 * @param required how many distinct approvals start the run (at least 1)
 * @param selfApproval whether the requester may approve their own run
 * @param expiresAfter how long a request waits before it expires
 */
public record ApprovalPolicy(
    List<String> approvers,
    List<String> groups,
    int required,
    boolean selfApproval,
    Duration expiresAfter) {

  public static final ApprovalPolicy DEFAULT =
      new ApprovalPolicy(List.of(), List.of(), 1, false, Duration.ofMinutes(30));

  public ApprovalPolicy {
    approvers = List.copyOf(approvers);
    groups = List.copyOf(groups);
    if (required < 1) {
      throw new IllegalArgumentException("approval.required must be at least 1, got " + required);
    }
    if (expiresAfter == null || expiresAfter.isNegative() || expiresAfter.isZero()) {
      throw new IllegalArgumentException("approval.expires_after must be a positive duration");
    }
  }
}
