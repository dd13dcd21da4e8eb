package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;

/** Finds the named datasource of an {@code sql} or {@code flyway} step in config. */
final class Datasources {

  private Datasources() {}

  /** The datasource, or IllegalArgumentException naming the known ones. */
  static DatasourceConfig find(IntentbotConfig config, String name) {
    return config
        .datasource(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown datasource '"
                        + name
                        + "'; "
                        + (config.datasources().isEmpty()
                            ? "no datasources are configured"
                            : "known datasources: "
                                + String.join(", ", config.datasources().keySet()))));
  }
}
