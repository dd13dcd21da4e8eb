package io.intentbot.bench;

import io.intentbot.engine.Engine;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import java.time.Duration;
import java.util.List;

/** Submitting and awaiting bench runs on an engine in this JVM; anything but success fails. */
final class BenchRuns {

  private BenchRuns() {}

  /** Submits a run; fails unless it started. Returns its id. */
  static String submit(Engine engine, String intent) {
    Submission s = engine.submit(RunRequest.of(intent, List.of(), "U0BENCH"));
    if (!(s instanceof Submission.Started started)) {
      throw new IllegalStateException(intent + " did not start: " + s);
    }
    return started.run().id();
  }

  /** Waits for a run; fails unless it succeeded. */
  static RunRecord await(Engine engine, String runId, Duration timeout)
      throws InterruptedException {
    RunRecord run =
        engine
            .awaitFinished(runId, timeout)
            .orElseThrow(() -> new IllegalStateException(runId + " is not recorded"));
    if (run.status() != RunStatus.SUCCEEDED) {
      throw new IllegalStateException(runId + " ended " + run.status() + ": " + run.reason());
    }
    return run;
  }
}
