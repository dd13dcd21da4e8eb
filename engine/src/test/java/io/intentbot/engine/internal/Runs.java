package io.intentbot.engine.internal;

import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Instant;
import java.util.Map;

/** Runs and run states for the engine's unit tests. */
final class Runs {

  private Runs() {}

  static RunRecord record(String id, RunStatus status) {
    return new RunRecord(
        id,
        "deploy-app",
        Map.of("app", "web"),
        "U_CAROL",
        "production",
        "web",
        status,
        false,
        "hash",
        null,
        Instant.parse("2026-11-25T10:00:00Z"),
        null,
        null,
        Map.of(),
        null,
        Map.of());
  }

  /** The state of a running run, as much of it as retries and timeouts read. */
  static RunState running(String id) {
    return new RunState(
        record(id, RunStatus.RUNNING), null, null, null, null, null, null, null, null, false);
  }
}
