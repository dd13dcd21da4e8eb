package io.intentbot.bench;

import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;

/**
 * The engine in this JVM, built as the bot builds it ({@link ServedBot#ENGINE_CONFIG}), on a
 * folder.
 */
final class BenchEngines {

  private BenchEngines() {}

  /**
   * The engine fixture on {@code dir} with the served bot's engine config and no event record; the
   * bench adds its intents and database.
   */
  static EngineFixture fixture(Path dir) {
    return new EngineFixture(dir).config(ServedBot.ENGINE_CONFIG).recordEvents(false);
  }
}
