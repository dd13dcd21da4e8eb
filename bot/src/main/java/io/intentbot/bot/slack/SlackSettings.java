package io.intentbot.bot.slack;

import io.intentbot.engine.config.IntentbotConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the bot talks to Slack. Read from the environment ({@code SLACK_BOT_TOKEN}, {@code
 * SLACK_SIGNING_SECRET}, {@code SLACK_APP_TOKEN}, {@code SLACK_API_URL}) and from the {@code
 * slack:} section of the config:
 *
 * <pre>{@code
 * slack:
 *   command: /intent             # the slash command
 *   channels: [C01OPS]           # optional allow-list of channels
 *   break_glass_channel: C01SEC  # where break-glass runs are also announced
 *   min_post_interval: 1s        # per channel
 * }</pre>
 *
 * @param botToken {@code xoxb-…}
 * @param signingSecret verifies requests over HTTP
 * @param appToken {@code xapp-…} for Socket Mode
 * @param apiUrl base URL of the Web API, ending in {@code /}, or null for Slack's own
 * @param command the slash command, e.g. {@code /intent}
 * @param channels channels where commands are accepted; empty means all
 * @param breakGlassChannel channel to announce break-glass runs in, or null
 * @param minPostInterval time between two posts in one channel
 * @param maxBackoff longest wait after Slack failed
 * @param expiryInterval how often approvals past their expiry are expired
 */
public record SlackSettings(
    String botToken,
    String signingSecret,
    String appToken,
    String apiUrl,
    String command,
    List<String> channels,
    String breakGlassChannel,
    Duration minPostInterval,
    Duration maxBackoff,
    Duration expiryInterval) {

  public SlackSettings {
    channels = List.copyOf(channels);
    if (apiUrl != null && !apiUrl.isBlank() && !apiUrl.endsWith("/")) {
      apiUrl = apiUrl + "/";
    }
    if (apiUrl != null && apiUrl.isBlank()) {
      apiUrl = null;
    }
  }

  /** From environment variables and the config's {@code slack:} section. */
  public static SlackSettings from(Map<String, String> env, IntentbotConfig config) {
    Map<String, Object> section = config.section("slack");
    Object channels = section.getOrDefault("channels", config.raw().get("channels"));
    List<String> allowed = new ArrayList<>();
    if (channels instanceof List<?> list) {
      list.forEach(c -> allowed.add(String.valueOf(c)));
    }
    return new SlackSettings(
        blankToNull(env.get("SLACK_BOT_TOKEN")),
        blankToNull(env.get("SLACK_SIGNING_SECRET")),
        blankToNull(env.get("SLACK_APP_TOKEN")),
        blankToNull(env.get("SLACK_API_URL")),
        String.valueOf(section.getOrDefault("command", "/intent")),
        allowed,
        section.get("break_glass_channel") == null
            ? null
            : String.valueOf(section.get("break_glass_channel")),
        duration(section.get("min_post_interval"), Duration.ofSeconds(1)),
        Duration.ofSeconds(30),
        Duration.ofSeconds(15));
  }

  /** Variables {@code serve} needs and does not have; empty when it can start. */
  public List<String> missingForHttp() {
    List<String> missing = new ArrayList<>();
    if (botToken == null) {
      missing.add("SLACK_BOT_TOKEN");
    }
    if (signingSecret == null) {
      missing.add("SLACK_SIGNING_SECRET");
    }
    return missing;
  }

  /** Variables {@code socket} needs and does not have; empty when it can start. */
  public List<String> missingForSocketMode() {
    List<String> missing = new ArrayList<>();
    if (botToken == null) {
      missing.add("SLACK_BOT_TOKEN");
    }
    if (appToken == null) {
      missing.add("SLACK_APP_TOKEN");
    }
    return missing;
  }

  /** The refusal to print when credentials are missing. */
  public static String refusal(List<String> missing, String mode) {
    return "Cannot start "
        + mode
        + ": set "
        + String.join(" and ", missing)
        + " (from your Slack app's settings: Basic Information for the signing secret and app"
        + " token, OAuth & Permissions for the bot token). Without Slack, try `intentbot console`.";
  }

  public boolean allows(String channel) {
    return channels.isEmpty() || channels.contains(channel);
  }

  public SlackSettings withMinPostInterval(Duration interval, Duration backoff) {
    return new SlackSettings(
        botToken,
        signingSecret,
        appToken,
        apiUrl,
        command,
        channels,
        breakGlassChannel,
        interval,
        backoff,
        expiryInterval);
  }

  public SlackSettings withExpiryInterval(Duration interval) {
    return new SlackSettings(
        botToken,
        signingSecret,
        appToken,
        apiUrl,
        command,
        channels,
        breakGlassChannel,
        minPostInterval,
        maxBackoff,
        interval);
  }

  private static Duration duration(Object value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    return io.intentbot.engine.text.Durations.parse(String.valueOf(value)).orElse(fallback);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return "SlackSettings[apiUrl="
        + apiUrl
        + ", command="
        + command
        + ", channels="
        + channels
        + "]";
  }
}
