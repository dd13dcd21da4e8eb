package io.intentbot.engine.config;

import java.util.List;
import java.util.Map;

/**
 * Who may do what, from {@code intentbot.yaml}: the {@code access:} rules, the {@code admins:} who
 * may cancel any run, how operating-system users map to chat users ({@code identities:}) and which
 * of them may act as someone else ({@code trusted_os_users:}).
 *
 * @param rules the access rules in the order written; null when {@code access:} is absent (then
 *     everyone may run everything)
 * @param admins user ids who may cancel any run
 * @param identities operating-system user name to the chat user id it acts as
 * @param trustedOsUsers operating-system users whose {@code --as USER} is honoured (pipelines)
 */
public record AccessConfig(
    List<AccessRule> rules,
    List<String> admins,
    Map<String, String> identities,
    List<String> trustedOsUsers) {

  /** No {@code access:} section: everyone may run everything. */
  public static final AccessConfig OPEN = new AccessConfig(null, List.of(), Map.of(), List.of());

  public AccessConfig {
    rules = rules == null ? null : List.copyOf(rules);
    admins = List.copyOf(admins);
    identities = Map.copyOf(identities);
    trustedOsUsers = List.copyOf(trustedOsUsers);
  }

  /** Whether {@code access:} is absent, so that nothing is restricted by rules. */
  public boolean open() {
    return rules == null;
  }
}
