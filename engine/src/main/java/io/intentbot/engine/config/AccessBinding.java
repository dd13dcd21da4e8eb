package io.intentbot.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.text.Durations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the keys about who may do what ({@code access}, {@code admins}, {@code identities}, {@code
 * trusted_os_users}, an environment's {@code break_glass}, {@code freeze} and {@code
 * approval.from}) after the schema check, adding a problem for each value the schema cannot judge
 * (a rule that covers nobody, an unknown environment or risk, a bad cron expression).
 */
final class AccessBinding {

  static final List<String> APPROVAL_SOURCES = List.of("slack", "cli");

  /** The labels of {@code io.intentbot.engine.definition.Risk}, which config does not depend on. */
  static final List<String> RISKS = List.of("read-only", "mutating", "destructive");

  private AccessBinding() {}

  static AccessConfig bind(JsonNode root, Set<String> environments, SchemaWalk walk) {
    List<AccessRule> rules = null;
    JsonNode access = root.path("access");
    if (access.isArray()) {
      rules = new ArrayList<>();
      for (int i = 0; i < access.size(); i++) {
        JsonNode rule = access.get(i);
        if (rule == null || !rule.isObject()) {
          continue;
        }
        rules.add(rule(rule, i, environments, walk));
      }
    }
    Map<String, String> identities = new LinkedHashMap<>();
    root.path("identities")
        .properties()
        .forEach(
            e -> {
              String id = ConfigLoader.text(e.getValue());
              if (id != null) {
                identities.put(e.getKey(), id);
              }
            });
    return new AccessConfig(
        rules,
        ConfigLoader.strings(root.path("admins")),
        identities,
        ConfigLoader.strings(root.path("trusted_os_users")));
  }

  private static AccessRule rule(
      JsonNode node, int index, Set<String> environments, SchemaWalk walk) {
    String pointer = "/access/" + index;
    String name = "access[" + (index + 1) + "]";
    List<String> intents = ConfigLoader.strings(node.path("intents"));
    List<String> risks = ConfigLoader.strings(node.path("risk"));
    List<String> envs = ConfigLoader.strings(node.path("environments"));
    List<String> users = ConfigLoader.strings(node.path("users"));
    List<String> groups = ConfigLoader.strings(node.path("groups"));
    if (intents.isEmpty() && risks.isEmpty()) {
      walk.add(pointer, name + ": name the intents it covers (intents: [...], or risk: [...])");
    }
    if (users.isEmpty() && groups.isEmpty()) {
      walk.add(pointer, name + ": name who it covers (users: [...] or groups: [...])");
    }
    List<String> knownRisks = RISKS;
    for (String risk : risks) {
      if (!knownRisks.contains(risk)) {
        walk.add(
            pointer + "/risk",
            name + ": unknown risk '" + risk + "'; one of " + String.join(", ", knownRisks));
      }
    }
    for (String env : envs) {
      if (!environments.contains(env)) {
        walk.add(
            pointer + "/environments",
            name
                + ": no environment '"
                + env
                + "'; environments are: "
                + String.join(", ", environments));
      }
    }
    return new AccessRule(
        name, intents, risks, envs, users, groups, ConfigLoader.strings(node.path("channels")));
  }

  static BreakGlassRights breakGlass(JsonNode node) {
    if (node.isObject()) {
      return new BreakGlassRights(
          true,
          ConfigLoader.strings(node.path("users")),
          ConfigLoader.strings(node.path("groups")));
    }
    boolean on = node.isBoolean() ? node.booleanValue() : "true".equals(node.asText().trim());
    return on ? BreakGlassRights.APPROVERS : BreakGlassRights.NONE;
  }

  static List<String> approvalSources(JsonNode node, String pointer, SchemaWalk walk) {
    List<String> from = ConfigLoader.strings(node);
    for (String source : from) {
      if (!APPROVAL_SOURCES.contains(source)) {
        walk.add(
            pointer,
            "approval.from: unknown source '"
                + source
                + "'; one of "
                + String.join(", ", APPROVAL_SOURCES));
      }
    }
    return from.stream().filter(APPROVAL_SOURCES::contains).toList();
  }

  static List<FreezeWindow> freeze(JsonNode node, String pointer, String where, SchemaWalk walk) {
    List<FreezeWindow> windows = new ArrayList<>();
    if (!node.isArray()) {
      return windows;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode w = node.get(i);
      if (w == null || !w.isObject()) {
        continue;
      }
      String at = pointer + "/" + i;
      String label = where + ".freeze[" + (i + 1) + "]";
      String cron = ConfigLoader.text(w.path("cron"));
      String reason = ConfigLoader.text(w.path("reason"));
      String fromText = ConfigLoader.text(w.path("from"));
      String toText = ConfigLoader.text(w.path("to"));
      if (cron != null) {
        var duration = Durations.parse(String.valueOf(ConfigLoader.text(w.path("duration"))));
        if (duration.isEmpty()) {
          walk.add(at, label + ": a cron window needs a duration, e.g. duration: 64h");
          continue;
        }
        try {
          CronSchedule.parse(cron);
        } catch (IllegalArgumentException e) {
          walk.add(at + "/cron", label + ": " + e.getMessage());
          continue;
        }
        windows.add(new FreezeWindow(cron, duration.get(), null, null, reason));
      } else if (fromText != null && toText != null) {
        Instant from = instant(fromText, false);
        Instant to = instant(toText, true);
        if (from == null || to == null || !to.isAfter(from)) {
          walk.add(
              at,
              label
                  + ": from and to must be dates (2026-12-24) or times (2026-12-24T18:00:00Z),"
                  + " to after from");
          continue;
        }
        windows.add(new FreezeWindow(null, null, from, to, reason));
      } else {
        walk.add(at, label + ": give cron and duration, or from and to");
      }
    }
    return windows;
  }

  /** A date (the start of that day, or with {@code end} the start of the next) or an instant. */
  private static Instant instant(String text, boolean end) {
    try {
      LocalDate date = LocalDate.parse(text);
      return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }
}
