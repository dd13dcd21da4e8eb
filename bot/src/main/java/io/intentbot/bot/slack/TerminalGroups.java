package io.intentbot.bot.slack;

import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import java.util.Map;

/**
 * The group directory of the CLI and the console: Slack's user groups, the same directory {@code
 * serve} uses, where a bot token ({@code SLACK_BOT_TOKEN}) is configured; else {@link
 * GroupDirectory#NONE}, so that access rules and approvals that name groups cover nobody from the
 * terminal and refusals say that groups cannot be checked here, and who may instead.
 */
public final class TerminalGroups {

  private TerminalGroups() {}

  public static GroupDirectory directory(Map<String, String> env, IntentbotConfig config) {
    SlackSettings settings = SlackSettings.from(env, config);
    return settings.botToken() == null ? GroupDirectory.NONE : SlackBot.groupDirectory(settings);
  }
}
