package io.intentbot.engine.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who asks for something, and from where: what access rules, {@code approval.from} and the audit
 * need about a person. Adapters build it: Slack from the verified request (user id and channel),
 * the CLI and console from the operating-system user ({@code os:alice}, or the chat id {@code
 * identities:} maps it to).
 *
 * @param user the user id acted as (a Slack id, or {@code os:NAME})
 * @param source the adapter: {@code slack}, {@code cli}, {@code console}; null for code that embeds
 *     the engine (tests, tools), which the engine trusts as it trusts its caller
 * @param channel the chat channel, or null
 * @param osUser the operating-system user behind a CLI or console request, or null
 * @param host the host it ran on, or null
 */
public record Actor(String user, String source, String channel, String osUser, String host) {

  public Actor {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("an actor needs a user id");
    }
  }

  /** A user of code that embeds the engine: no adapter, no channel. */
  public static Actor of(String user) {
    return new Actor(user, null, null, null, null);
  }

  /** A Slack user in a channel. */
  public static Actor slack(String user, String channel) {
    return new Actor(user, "slack", channel, null, null);
  }

  /** Whether the request came from a terminal (the CLI or the console). */
  public boolean fromTerminal() {
    return "cli".equals(source) || "console".equals(source);
  }

  /** Where approvals come from in {@code approval.from} terms: {@code slack} or {@code cli}. */
  public String approvalSource() {
    return fromTerminal() ? "cli" : source;
  }

  /** What a run keeps of it in its origin. */
  public Map<String, String> origin() {
    Map<String, String> origin = new LinkedHashMap<>();
    if (source != null) {
      origin.put("source", source);
    }
    if (channel != null) {
      origin.put("channel", channel);
    }
    if (osUser != null) {
      origin.put("os_user", osUser);
    }
    if (host != null) {
      origin.put("host", host);
    }
    return origin;
  }

  /** The actor a run request describes (its requester and origin). */
  public static Actor of(RunRequest request) {
    Map<String, String> origin = request.origin();
    return new Actor(
        request.requester(),
        origin.get("source"),
        origin.get("channel"),
        origin.get("os_user"),
        origin.get("host"));
  }
}
