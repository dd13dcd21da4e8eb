package io.intentbot.bot.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --config} and {@code --intents}, taken by every subcommand, falling back to {@code
 * INTENTBOT_CONFIG} and {@code INTENTBOT_INTENTS}, then to {@code config/intentbot.yaml} and {@code
 * intents}.
 */
public final class CommonOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "config file (default: $INTENTBOT_CONFIG or config/intentbot.yaml)")
  Path config;

  @Option(
      names = "--intents",
      paramLabel = "DIR",
      description = "intents folder (default: $INTENTBOT_INTENTS or intents)")
  Path intents;

  Path configFile(Map<String, String> env) {
    if (config != null) {
      return config;
    }
    return Path.of(env.getOrDefault("INTENTBOT_CONFIG", "config/intentbot.yaml"));
  }

  Path intentsDir(Map<String, String> env) {
    if (intents != null) {
      return intents;
    }
    return Path.of(env.getOrDefault("INTENTBOT_INTENTS", "intents"));
  }
}
