package io.intentbot.engine.config;

import java.util.Set;

/**
 * Answers who belongs to an approver group (a Slack user group, say). The engine asks it when a
 * member of a group in {@code approval.groups} clicks approve.
 */
@FunctionalInterface
public interface GroupDirectory {

  /** Member user ids of the group; empty when unknown. */
  Set<String> members(String groupId);

  GroupDirectory NONE = group -> Set.of();
}
