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

  /**
   * Who they are in plain words, ids as the config names them: {@code one of U1, U2 or a member of
   * S1}; {@code nobody (none configured)} when empty.
   */
  public String describe() {
    String people =
        users.isEmpty()
            ? ""
            : users.size() == 1 ? users.get(0) : "one of " + String.join(", ", users);
    String members = groups.isEmpty() ? "" : "a member of " + String.join(", ", groups);
    if (people.isEmpty() && members.isEmpty()) {
      return "nobody (none configured)";
    }
    return people.isEmpty() ? members : members.isEmpty() ? people : people + " or " + members;
  }
}
