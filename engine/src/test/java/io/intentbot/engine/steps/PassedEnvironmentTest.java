package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassedEnvironmentTest {

  private static final Map<String, String> BOT =
      Map.of(
          "HTTPS_PROXY", "http://proxy:3128",
          "SLACK_BOT_TOKEN", "xoxb-not-for-children",
          "INTENTBOT_SECRET_KEY", "k",
          "APP_DB_PW", "db-password-1",
          "PGPASSWORD", "db-password-1");

  private static IntentbotConfig config(String yaml) {
    return new ConfigLoader(BOT::get).parse(yaml, "intentbot.yaml");
  }

  @Test
  void passesWhatConfigNamesButNeverTheBotsSecrets() {
    IntentbotConfig config =
        config(
            """
            datasources:
              app: { url: "jdbc:h2:mem:x", user: sa, password_env: APP_DB_PW }
            shell:
              pass_env: [HTTPS_PROXY, SLACK_BOT_TOKEN, INTENTBOT_SECRET_KEY, PGPASSWORD, HTTPS_PROXY, NO_PROXY]
            """);

    assertThat(PassedEnvironment.names(config, BOT)).containsExactly("HTTPS_PROXY", "NO_PROXY");
  }

  @Test
  void withoutTheKeyOnlyTheDefaultsPass() {
    assertThat(PassedEnvironment.names(config("apps: [web]\n"), BOT)).isEmpty();
  }
}
