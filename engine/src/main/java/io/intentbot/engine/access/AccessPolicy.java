package io.intentbot.engine.access;

import io.intentbot.engine.config.AccessConfig;
import io.intentbot.engine.config.AccessRule;
import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.BreakGlassRights;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Refusal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides from the config who may run which intent where, who may break glass and who may cancel;
 * every "no" is a {@link Refusal} that names the rule that would allow it and whom it covers.
 *
 * <pre>{@code
 * AccessPolicy policy = new AccessPolicy(config, groups);
 * Optional<Refusal> no = policy.mayRun(Actor.slack("U123", "C0OPS"), intent, List.of("production"));
 * }</pre>
 *
 * Without {@code access:} in the config everyone may run everything.
 */
public final class AccessPolicy {

  private final IntentbotConfig config;
  private final AccessConfig access;
  private final GroupDirectory groups;

  public AccessPolicy(IntentbotConfig config, GroupDirectory groups) {
    this.config = config;
    this.access = config.access();
    this.groups = groups;
  }

  /** Whether {@code access:} is absent, so that rules restrict nothing. */
  public boolean open() {
    return access.open();
  }

  /**
   * Why {@code actor} may not run {@code intent} touching {@code environments}, or empty when a
   * rule covers the intent, every one of those environments, the actor and the channel.
   */
  public Optional<Refusal> mayRun(
      Actor actor, IntentDefinition intent, Collection<String> environments) {
    if (access.open()) {
      return Optional.empty();
    }
    String risk = intent.risk().label();
    AccessRule nearest = null;
    Set<String> unresolved = new LinkedHashSet<>();
    Set<String> byId = new LinkedHashSet<>();
    for (AccessRule rule : access.rules()) {
      if (!rule.coversIntent(intent.name(), risk)
          || !environments.stream().allMatch(rule::coversEnvironment)) {
        continue;
      }
      if (covers(rule, actor.user()) && fromChannel(rule, actor)) {
        return Optional.empty();
      }
      if (nearest == null) {
        nearest = rule;
      }
      if (!groups.resolves() && fromChannel(rule, actor)) {
        unresolved.addAll(rule.groups());
        byId.addAll(rule.users());
      }
    }
    Approvers unknownHere =
        unresolved.isEmpty() ? null : new Approvers(List.copyOf(byId), List.copyOf(unresolved));
    List<String> envs = List.copyOf(environments);
    if (nearest == null) {
      return Optional.of(
          new Refusal.RefusedByPolicy(
              null, new Approvers(List.of(), List.of()), intent.name(), envs, List.of()));
    }
    return Optional.of(
        new Refusal.RefusedByPolicy(
            nearest.name(),
            new Approvers(nearest.users(), nearest.groups()),
            intent.name(),
            envs,
            nearest.channels(),
            unknownHere));
  }

  /**
   * Whether some rule lets {@code actor} run {@code intent} in at least one environment (or where
   * it touches none); {@code help}, {@code list} and {@code describe} show only these.
   */
  public boolean mayRunSomewhere(Actor actor, IntentDefinition intent) {
    if (access.open()) {
      return true;
    }
    String risk = intent.risk().label();
    return access.rules().stream()
        .anyMatch(
            r ->
                r.coversIntent(intent.name(), risk)
                    && covers(r, actor.user())
                    && fromChannel(r, actor));
  }

  /** The environments where {@code actor} may run {@code intent}, in config order. */
  public List<String> environmentsFor(Actor actor, IntentDefinition intent) {
    List<String> out = new ArrayList<>();
    for (String env : config.environments().keySet()) {
      if (mayRun(actor, intent, List.of(env)).isEmpty()) {
        out.add(env);
      }
    }
    return out;
  }

  /**
   * Why {@code actor} may not break glass in {@code environment}: not allowed there at all, or not
   * among its approvers and the users and groups {@code break_glass:} names.
   */
  public Optional<Refusal> mayBreakGlass(Actor actor, EnvironmentConfig environment) {
    BreakGlassRights rights = environment.breakGlassRights();
    ApprovalPolicy approval = environment.approval();
    if (!rights.allowed()) {
      return Optional.of(
          new Refusal.BreakGlassNotAllowed(environment.name(), Approvers.of(approval)));
    }
    String user = actor.user();
    boolean may =
        isApprover(approval, user)
            || rights.users().contains(user)
            || rights.groups().stream().anyMatch(g -> groups.members(g).contains(user));
    if (may) {
      return Optional.empty();
    }
    List<String> users = new ArrayList<>(approval.approvers());
    rights.users().stream().filter(u -> !users.contains(u)).forEach(users::add);
    List<String> groupIds = new ArrayList<>(approval.groups());
    rights.groups().stream().filter(g -> !groupIds.contains(g)).forEach(groupIds::add);
    return Optional.of(
        new Refusal.BreakGlassNotPermitted(environment.name(), new Approvers(users, groupIds)));
  }

  /** Whether {@code user} is listed in {@code admins:}. */
  public boolean isAdmin(String user) {
    return access.admins().contains(user);
  }

  /** The {@code admins:} list. */
  public List<String> admins() {
    return access.admins();
  }

  /** Whether {@code user} is an approver of the policy, by id or group membership. */
  public boolean isApprover(ApprovalPolicy approval, String user) {
    return approval.approvers().contains(user)
        || approval.groups().stream().anyMatch(g -> groups.members(g).contains(user));
  }

  private boolean covers(AccessRule rule, String user) {
    return rule.everyone()
        || rule.users().contains(user)
        || rule.groups().stream().anyMatch(g -> groups.members(g).contains(user));
  }

  /** A rule with channels covers only requests from those channels (never the terminal). */
  private static boolean fromChannel(AccessRule rule, Actor actor) {
    return rule.channels().isEmpty() || rule.channels().contains(actor.channel());
  }
}
