package io.intentbot.bot.cli;

import io.intentbot.engine.audit.AuditStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values of the bot's own environment that every run masks ({@link
 * io.intentbot.engine.Engine.Builder#secrets}): Slack's tokens and signing secret, the audit
 * database's password (given apart or inside its URL) and intentbot's keys. Shell steps never get
 * these variables; this covers a step that comes by a value some other way (a file, a command).
 */
final class BotSecrets {

  /** The variables whose values are secrets. */
  static final List<String> VARIABLES =
      List.of(
          "SLACK_BOT_TOKEN",
          "SLACK_SIGNING_SECRET",
          "SLACK_APP_TOKEN",
          "INTENTBOT_DB_PASSWORD",
          "INTENTBOT_AUDIT_KEY",
          "INTENTBOT_SECRET_KEY",
          "INTENTBOT_METRICS_TOKEN");

  private BotSecrets() {}

  static List<String> of(Map<String, String> env) {
    List<String> values = new ArrayList<>();
    for (String name : VARIABLES) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        values.add(value);
      }
    }
    AuditStores.passwordInUrl(env.get("INTENTBOT_DB_URL")).ifPresent(values::add);
    return values;
  }
}
