package io.intentbot.bot.slack;

import java.util.Arrays;
import java.util.List;

/**
 * Remembers the Slack requests the bot acted on, by key, so that a repeated delivery (Slack's
 * retry) or a replay of the same signed bytes is acted on once.
 */
public interface ReplayKeys {

  /**
   * True when none of {@code keys} was offered before; all of them are remembered, whatever the
   * answer. Null and blank keys are ignored (none at all: true).
   */
  boolean firstTime(List<String> keys);

  /** {@link #firstTime(List)} of one key. */
  default boolean firstTime(String key) {
    return firstTime(Arrays.asList(key));
  }

  /** The keys worth remembering: neither null nor blank. */
  static List<String> present(List<String> keys) {
    return keys.stream().filter(k -> k != null && !k.isBlank()).toList();
  }
}
