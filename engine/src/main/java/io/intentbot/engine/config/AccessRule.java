package io.intentbot.engine.config;

import java.util.List;

/**
 * One entry of {@code access:}: who may run which intents, where, from which channels. A request is
 * covered when the rule names its intent (by name or glob, or by risk), every environment it
 * touches (an empty list: any), its requester (by id, {@code "*"}, or a group) and, where the rule
 * names channels, the channel it came from.
 *
 * @param name how refusals name the rule: {@code access[2]}, counted from 1 as written
 * @param intents intent names or globs ({@code *}, {@code deploy-*}); empty when only {@code risk}
 *     is given
 * @param risks risk levels ({@code read-only}, {@code mutating}, {@code destructive}); empty: any
 * @param environments environment names; empty: any
 * @param users user ids, or {@code "*"} for everyone
 * @param groups user group ids whose members are covered
 * @param channels channel ids the request must come from; empty: any
 */
public record AccessRule(
    String name,
    List<String> intents,
    List<String> risks,
    List<String> environments,
    List<String> users,
    List<String> groups,
    List<String> channels) {

  public AccessRule {
    intents = List.copyOf(intents);
    risks = List.copyOf(risks);
    environments = List.copyOf(environments);
    users = List.copyOf(users);
    groups = List.copyOf(groups);
    channels = List.copyOf(channels);
  }

  /** Whether the rule covers the intent: by name or glob, and by risk where it names risks. */
  public boolean coversIntent(String intent, String risk) {
    boolean byName = intents.isEmpty() || intents.stream().anyMatch(g -> glob(g, intent));
    boolean byRisk = risks.isEmpty() || risks.contains(risk);
    return byName && byRisk;
  }

  public boolean coversEnvironment(String environment) {
    return environments.isEmpty() || environments.contains(environment);
  }

  public boolean everyone() {
    return users.contains("*");
  }

  static boolean glob(String pattern, String name) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(regex.toString());
  }
}
