package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;

/**
 * Finds the named datasource of a database step in config, and keeps its password out of output.
 */
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

  /**
   * Registers the datasource's password as a secret of the step, so that what the step prints or
   * returns never shows it (the engine also seeds every configured password; this keeps a step type
   * safe on its own).
   */
  static void protectPassword(DatasourceConfig datasource, StepContext context) {
    if (datasource.password() != null && !datasource.password().isEmpty()) {
      context.addSecret(datasource.password());
    }
  }
}
