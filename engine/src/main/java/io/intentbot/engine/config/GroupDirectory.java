package io.intentbot.engine.config;

import java.util.Set;

/**
 * Answers who belongs to a user group (a Slack user group, say). The engine asks it when a rule or
 * an approval policy names groups.
 */
@FunctionalInterface
public interface GroupDirectory {

  /** Member user ids of the group; empty when unknown. */
  Set<String> members(String groupId);

  /**
   * Whether this directory can tell members at all. Where it cannot ({@link #NONE}: the CLI or the
   * console without a Slack bot token), nobody is a member of any group, and a refusal by a rule
   * that names groups says so and who may instead.
   */
  default boolean resolves() {
    return true;
  }

  /** No directory: group membership cannot be resolved, so groups cover nobody. */
  GroupDirectory NONE =
      new GroupDirectory() {
        @Override
        public Set<String> members(String groupId) {
          return Set.of();
        }

        @Override
        public boolean resolves() {
          return false;
        }
      };
}
