package io.intentbot.engine.internal;

import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.definition.Risk;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
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
   * run whose parameters make it read-only ({@code read_only_if}). {@code environment} is the
   * strictest one the run touches.
   */
  static boolean needsApproval(RunState state, EnvironmentConfig environment) {
    return environment != null && environment.isProtected() && changes(state);
  }

  /** Whether the run may change something: its intent is not read-only, nor are its parameters. */
  static boolean changes(RunState state) {
    return state.intent.risk() != Risk.READ_ONLY && !state.readOnly;
  }

  /**
   * Why {@code user} may not approve (or acknowledge, as {@code action} says) {@code run}, or empty
   * when they may.
   */
  Optional<Refusal> refusal(
      RunRecord run, EnvironmentConfig environment, String user, Refusal.Action action) {
    ApprovalPolicy policy = environment.approval();
    Approvers approvers = Approvers.of(policy);
    if (user.equals(run.requester()) && !policy.selfApproval()) {
      return Optional.of(new Refusal.SelfApproval(run.id(), action, approvers));
    }
    if (approvers.none()) {
      return Optional.of(new Refusal.NoApprovers(environment.name()));
    }
    if (mayApprove(policy, user)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal.NotAnApprover(
            environment.name(), action, approvers, false, groupsUnchecked(policy)));
  }

  /** Whether {@code policy} names groups whose membership cannot be resolved here. */
  boolean groupsUnchecked(ApprovalPolicy policy) {
    return !policy.groups().isEmpty() && !groups.resolves();
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

  static boolean expired(RunRecord run, EnvironmentConfig environment, Instant now) {
    return run.createdAt().plus(environment.approval().expiresAfter()).isBefore(now);
  }
}
