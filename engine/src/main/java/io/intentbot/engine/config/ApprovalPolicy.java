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
 * @param from where approvals may come from: {@code slack}, {@code cli} (the command line and the
 *     console); default {@code [slack]}
 */
public record ApprovalPolicy(
    List<String> approvers,
    List<String> groups,
    int required,
    boolean selfApproval,
    Duration expiresAfter,
    List<String> from) {

  /** Where approvals come from unless {@code approval.from} says otherwise. */
  public static final List<String> DEFAULT_FROM = List.of("slack");

  public static final ApprovalPolicy DEFAULT =
      new ApprovalPolicy(List.of(), List.of(), 1, false, Duration.ofMinutes(30));

  /** Approvals from Slack only. */
  public ApprovalPolicy(
      List<String> approvers,
      List<String> groups,
      int required,
      boolean selfApproval,
      Duration expiresAfter) {
    this(approvers, groups, required, selfApproval, expiresAfter, DEFAULT_FROM);
  }

  /** Whether an approval may come from {@code source} ({@code slack} or {@code cli}). */
  public boolean allowsFrom(String source) {
    return from.contains(source);
  }

  public ApprovalPolicy {
    approvers = List.copyOf(approvers);
    groups = List.copyOf(groups);
    from = from == null || from.isEmpty() ? DEFAULT_FROM : List.copyOf(from);
    if (required < 1) {
      throw new IllegalArgumentException("approval.required must be at least 1, got " + required);
    }
    if (expiresAfter == null || expiresAfter.isNegative() || expiresAfter.isZero()) {
      throw new IllegalArgumentException("approval.expires_after must be a positive duration");
    }
  }
}
