package io.intentbot.bot.cli;

import java.util.Map;

/** A subcommand that reads environment variables, given to it by {@link IntentbotCommand}. */
interface EnvAware {
  void env(Map<String, String> env);
}
