package io.intentbot.bot.chat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who typed a command, and where: the chat-neutral requester.
 *
 * @param user the chat user id
 * @param channel the room it was typed in, or null (console)
 * @param source the adapter: {@code slack}, {@code console}, {@code memory}
 */
public record ChatUser(String user, String channel, String source) {

  /** Kept with the run so that adapters find its thread again. */
  public Map<String, String> origin() {
    Map<String, String> origin = new LinkedHashMap<>();
    origin.put("source", source);
    if (channel != null) {
      origin.put("channel", channel);
    }
    return origin;
  }
}
