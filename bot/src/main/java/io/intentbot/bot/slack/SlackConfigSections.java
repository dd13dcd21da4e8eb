package io.intentbot.bot.slack;

import static io.intentbot.engine.config.ConfigSchema.duration;
import static io.intentbot.engine.config.ConfigSchema.fields;
import static io.intentbot.engine.config.ConfigSchema.listOf;
import static io.intentbot.engine.config.ConfigSchema.string;

import io.intentbot.engine.config.ConfigSection;
import java.util.List;

/**
 * The config sections {@link SlackSettings} reads, so the config loader refuses unknown keys in
 * them: {@code slack:} and the older top-level {@code channels:}. Listed in {@code
 * META-INF/services}.
 */
public final class SlackConfigSections implements ConfigSection.Provider {

  @Override
  public List<ConfigSection> sections() {
    return List.of(
        new ConfigSection(
            "slack",
            fields()
                .key("command", string())
                .key("channels", listOf(string()))
                .key("break_glass_channel", string())
                .key("audit_channel", string())
                .key("min_post_interval", duration()),
            "the Slack adapter (SlackSettings)"),
        new ConfigSection(
            "channels",
            listOf(string()),
            "the Slack adapter (SlackSettings; slack.channels is newer)"));
  }
}
