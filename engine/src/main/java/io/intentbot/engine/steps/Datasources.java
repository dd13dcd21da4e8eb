package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Finds the named datasource of a database step in config, keeps its password out of output, and
 * cancels its running statements.
 */
final class Datasources {

  private Datasources() {}

  /** The datasource, or IllegalArgumentException naming the known ones and the fix. */
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
                                + String.join(", ", config.datasources().keySet()))
                        + "; to use '"
                        + name
                        + "', add it under datasources: in the config"));
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

  /** Cancels a running statement, if any; a statement that finished or cannot cancel is left. */
  static void cancel(Statement statement) {
    if (statement == null) {
      return;
    }
    try {
      statement.cancel();
    } catch (SQLException ignored) {
      // finished, or the driver cannot cancel; the caller's grace period covers both
    }
  }
}
