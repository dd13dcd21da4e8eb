package io.intentbot.engine.model;

import io.intentbot.engine.config.ApprovalPolicy;
import java.util.List;

/**
 * Who may approve (or reject, acknowledge, cancel) runs in an environment: user ids and user group
 * ids as the config names them. Adapters show them (Slack as mentions, the console and CLI as ids).
 */
public record Approvers(List<String> users, List<String> groups) {

  public Approvers {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
  }

  public static Approvers of(ApprovalPolicy policy) {
    return new Approvers(policy.approvers(), policy.groups());
  }

  public boolean none() {
    return users.isEmpty() && groups.isEmpty();
  }
}
