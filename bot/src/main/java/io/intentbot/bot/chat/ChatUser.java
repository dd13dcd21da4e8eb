package io.intentbot.bot.chat;

import io.intentbot.engine.model.Actor;
import java.util.Map;

/**
 * Who typed a command, and where: the chat-neutral requester.
 *
 * @param user the chat user id (a Slack id, or {@code os:NAME} on a terminal without a mapping)
 * @param channel the room it was typed in, or null (console)
 * @param source the adapter: {@code slack}, {@code console}, {@code memory}
 * @param osUser the operating-system user behind a console session, or null
 * @param host the host of a console session, or null
 */
public record ChatUser(String user, String channel, String source, String osUser, String host) {

  public ChatUser(String user, String channel, String source) {
    this(user, channel, source, null, null);
  }

  /** Who asks, as the engine's access rules see it. */
  public Actor actor() {
    return new Actor(user, source, channel, osUser, host);
  }

  /** Kept with the run so that adapters find its thread again. */
  public Map<String, String> origin() {
    return actor().origin();
  }
}
