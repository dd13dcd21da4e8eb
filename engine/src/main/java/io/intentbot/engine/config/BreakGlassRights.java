package io.intentbot.engine.config;

import java.util.List;

/**
 * Who may skip an environment's wait for approval with {@code --break-glass "reason"}: {@code
 * break_glass: true} means the environment's approvers; {@code break_glass: { users: [...], groups:
 * [...] }} names who else may.
 *
 * @param allowed whether break-glass runs are allowed here at all
 * @param users user ids who may, besides the approvers
 * @param groups user group ids whose members may, besides the approvers
 */
public record BreakGlassRights(boolean allowed, List<String> users, List<String> groups) {

  public static final BreakGlassRights NONE = new BreakGlassRights(false, List.of(), List.of());

  /** {@code break_glass: true}: the approvers only. */
  public static final BreakGlassRights APPROVERS = new BreakGlassRights(true, List.of(), List.of());

  public BreakGlassRights {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
  }
}
