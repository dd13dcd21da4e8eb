package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.VerifyResult;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} as a real process, sent SIGTERM in the middle of a run on the default H2
 * audit file: it traps the signal and cancels the run, recording it, before the JVM shuts down (in
 * a shutdown hook that raced H2's own, which closes the database), so the file opens again,
 * verifies, and holds the run cancelled and its lock free; serve exits 143, as a shell reports
 * SIGTERM.
 */
class ServeShutdownIT {

  /**
   * A step with a child process to stop (one that ignores SIGTERM, so the process runner has to
   * kill it), as real steps have. On the code before the trap, this showed the race in serve's log:
   * "Database is already closed (to disable automatic closing at VM shutdown ...)" while saving the
   * step, which the durable writes' retries then papered over, and "the outbox is closed" for the
   * run's last Slack messages.
   */
  private static final String LONG =
      """
      name: long
      risk: mutating
      parameters:
        app: { type: app, required: true }
        env: { type: environment, default: sandbox }
      lock: "${{ params.app }}"
      steps:
        - id: hold
          type: shell
          with: { command: [sh, -c, "trap '' TERM; sleep 600"] }
      """;

  @TempDir Path dir;
  FakeSlack slack = new FakeSlack();
  Process serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.destroyForcibly();
    }
    slack.close();
  }

  private <T> T audit(Function<AuditStore, T> read) {
    try (AuditStore store =
        AuditStores.open(AuditStores.defaultUrl(dir.resolve("data")), null, null)) {
      return read.apply(store);
    }
  }

  /** The run's id once its hold step is running. */
  private String holding() {
    String[] id = {null};
    await()
        .atMost(ServeProcess.STARTUP)
        .pollInterval(Duration.ofMillis(200))
        .failFast("serve exited", () -> !serve.isAlive())
        .until(
            () ->
                audit(
                    store -> {
                      List<RunRecord> runs = store.recentRuns("long", 1);
                      if (runs.isEmpty()) {
                        return false;
                      }
                      id[0] = runs.get(0).id();
                      return store.steps(id[0]).stream()
                          .anyMatch(
                              s -> s.stepId().equals("hold") && s.status() == StepStatus.RUNNING);
                    }));
    return id[0];
  }

  @Test
  void sigtermDuringARunRecordsItCancelledInAnAuditFileThatVerifies() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    Files.writeString(dir.resolve("intents").resolve("long.yaml"), LONG);
    serve = builder.start();
    int port = ServeProcess.awaitPort(serve, dir);
    SignedRequests requests =
        new SignedRequests(
            "http://127.0.0.1:" + port + SlackServer.EVENTS_PATH, SlackBed.SECRET, slack);
    assertThat(requests.command("U0ALICE", SlackBed.CHANNEL, "long app=web").statusCode())
        .isEqualTo(200);
    String id = holding();

    serve.destroy(); // SIGTERM
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped").isTrue();
    assertThat(serve.exitValue()).as("128 + SIGTERM").isEqualTo(143);

    String log = Files.readString(ServeProcess.log(dir));
    RunRecord run = audit(store -> store.findRun(id)).orElseThrow();
    assertThat(run.status()).as("%s%n%s", run.reason(), log).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason()).contains("intentbot shutdown").contains("'hold'");
    Optional<StepRecord> hold =
        audit(store -> store.steps(id)).stream().filter(s -> s.stepId().equals("hold")).findFirst();
    assertThat(hold).get().extracting(StepRecord::status).isEqualTo(StepStatus.CANCELLED);
    VerifyResult verified = audit(store -> store.verify(Optional.empty()));
    assertThat(verified.problems()).as("audit verify").isEmpty();
    Optional<String> holder = audit(store -> store.lockHolder("web"));
    assertThat(holder).as("the lock is free").isEmpty();
    assertThat(log)
        .as("nothing closed under the engine's last writes")
        .doesNotContainIgnoringCase("database is already closed")
        .doesNotContainIgnoringCase("database has been closed")
        .doesNotContain("the outbox is closed");
  }
}
