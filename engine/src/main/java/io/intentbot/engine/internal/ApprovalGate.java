package io.intentbot.engine.internal;

import io.intentbot.engine.GroupDirectory;
import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.definition.Risk;
import java.time.Instant;
import java.util.Optional;

/** Decides whether a run needs approval and whether a user may give it. */
final class ApprovalGate {

  private final GroupDirectory groups;

  ApprovalGate(GroupDirectory groups) {
    this.groups = groups;
  }

  /**
   * Protected environments gate every run that may change something: not a read-only intent, nor a
   * run whose parameters make it read-only ({@code read_only_if}).
   */
  static boolean needsApproval(RunState state) {
    EnvironmentConfig environment = state.environment;
    return environment != null
        && environment.isProtected()
        && state.intent.risk() != Risk.READ_ONLY
        && !state.readOnly;
  }

  /** Why {@code user} may not approve {@code run}, or empty when they may. */
  Optional<String> refusal(RunRecord run, EnvironmentConfig environment, String user) {
    ApprovalPolicy policy = environment.approval();
    if (user.equals(run.requester()) && !policy.selfApproval()) {
      return Optional.of(
          "you requested run "
              + run.id()
              + ", so you cannot approve it yourself; ask "
              + whoMayApprove(policy));
    }
    if (policy.approvers().isEmpty() && policy.groups().isEmpty()) {
      return Optional.of(
          environment.name()
              + " has no approvers configured; set environments."
              + environment.name()
              + ".approval.approvers or .groups in the config");
    }
    if (mayApprove(policy, user)) {
      return Optional.empty();
    }
    return Optional.of(
        "you may not approve runs in "
            + environment.name()
            + "; "
            + whoMayApprove(policy)
            + " may");
  }

  boolean mayApprove(ApprovalPolicy policy, String user) {
    if (policy.approvers().contains(user)) {
      return true;
    }
    for (String group : policy.groups()) {
      if (groups.members(group).contains(user)) {
        return true;
      }
    }
    return false;
  }

  static String whoMayApprove(ApprovalPolicy policy) {
    StringBuilder out = new StringBuilder();
    if (!policy.approvers().isEmpty()) {
      out.append("one of ").append(String.join(", ", policy.approvers()));
    }
    if (!policy.groups().isEmpty()) {
      if (out.length() > 0) {
        out.append(" or ");
      }
      out.append("a member of ").append(String.join(", ", policy.groups()));
    }
    return out.length() == 0 ? "nobody (no approvers configured)" : out.toString();
  }

  static boolean expired(RunRecord run, EnvironmentConfig environment, Instant now) {
    return run.createdAt().plus(environment.approval().expiresAfter()).isBefore(now);
  }
}
