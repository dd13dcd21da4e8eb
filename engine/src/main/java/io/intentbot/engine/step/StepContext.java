package io.intentbot.engine.step;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** What a step type may know of the run it is part of, and where it writes. */
public interface StepContext {

  String runId();

  String stepId();

  String intentName();

  /** The chat or CLI user who asked for the run. */
  String requester();

  boolean dryRun();

  /** The environment the run targets, when the intent has an {@code environment} parameter. */
  Optional<EnvironmentConfig> environment();

  /** The app the run targets, when the intent has an {@code app} parameter. */
  Optional<String> app();

  IntentbotConfig config();

  /** Folder the intents were loaded from; relative paths in steps resolve against it. */
  Path intentsDir();

  StepOutput output();

  /**
   * Registers a value that must never appear in output, logs or the audit store (a password read
   * from a secret, a token). Applies to everything written after the call.
   */
  void addSecret(String value);

  /**
   * The clock for everything a step times or stamps (deadlines, polling, ages), so tests can fix
   * time. The engine gives its own clock.
   */
  default Clock clock() {
    return Clock.systemUTC();
  }
}
