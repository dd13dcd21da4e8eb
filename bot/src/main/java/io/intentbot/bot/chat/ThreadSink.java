package io.intentbot.bot.chat;

/**
 * Where a chat adapter puts a run's thread updates. Called on the engine's threads: must return at
 * once (store or queue, never wait on a network).
 */
@FunctionalInterface
public interface ThreadSink {
  void accept(ThreadUpdate update);
}
