package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The variables of the bot's environment that config's {@code shell.pass_env} passes to shell
 * steps, beyond {@code PATH}, {@code HOME}, {@code LANG} and {@code TZ}:
 *
 * <pre>{@code
 * shell:
 *   pass_env: [HTTPS_PROXY, NO_PROXY, AWS_PROFILE]
 * }</pre>
 *
 * <p>Never the bot's own secrets, whatever the list says: {@code SLACK_*} and {@code INTENTBOT_*}
 * variables and any variable that holds a datasource password are left out, with a warning.
 */
public final class PassedEnvironment {

  private static final Logger log = LoggerFactory.getLogger(PassedEnvironment.class);

  private PassedEnvironment() {}

  /** The names to pass, from config, without the ones that must never reach a child. */
  public static List<String> names(IntentbotConfig config, Map<String, String> botEnvironment) {
    Object listed = config.section("shell").get("pass_env");
    List<String> names = new ArrayList<>();
    if (!(listed instanceof List<?> list)) {
      return names;
    }
    List<String> passwords =
        config.datasources().values().stream()
            .map(DatasourceConfig::password)
            .filter(Objects::nonNull)
            .filter(p -> !p.isEmpty())
            .toList();
    for (Object item : list) {
      String name = String.valueOf(item).trim();
      String why = refusal(name, botEnvironment.get(name), passwords);
      if (why != null) {
        log.warn("shell.pass_env: {} is not passed to shell steps: {}", name, why);
      } else if (!names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static String refusal(String name, String value, List<String> passwords) {
    if (name.startsWith("SLACK_")) {
      return "Slack's tokens and signing secret never reach child processes";
    }
    if (name.startsWith("INTENTBOT_")) {
      return "intentbot's own settings and keys never reach child processes";
    }
    if (value != null && passwords.contains(value)) {
      return "it holds a datasource password";
    }
    return null;
  }
}
