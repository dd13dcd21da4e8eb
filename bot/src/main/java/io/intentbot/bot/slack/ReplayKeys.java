package io.intentbot.bot.slack;

/**
 * Remembers the Slack requests the bot acted on, by key, so that a repeated delivery (Slack's
 * retry) or a replay of the same signed bytes is acted on once.
 */
public interface ReplayKeys {

  /**
   * True the first time a key is offered; false for a key seen before (a null key: always true).
   */
  boolean firstTime(String key);
}
