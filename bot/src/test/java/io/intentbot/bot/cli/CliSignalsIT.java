package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot run}, {@code approve} and {@code console} as real processes, signalled in the
 * middle of a run that holds a lock: each records the run cancelled (who, and which signal), frees
 * the lock and exits. A process killed outright (SIGKILL) leaves its run running: {@code cancel}
 * releases it at once, and the next {@code run} recovers it at start.
 */
class CliSignalsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern RUN_ID = Pattern.compile("\\[(r-[a-z0-9]{8})\\]");

  @TempDir Path dir;
  private CliFixture fixture;
  private CliProcess running;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CliFixture(dir);
    fixture
        .engine
        .intent(
            "long",
            """
            name: long
            risk: mutating
            parameters:
              app: { type: app, required: true }
              env: { type: environment, default: sandbox }
            lock: "${{ params.app }}"
            steps:
              - id: hold
                type: wait
                with: { duration: 10m }
            """)
        .intent(
            "quick",
            """
            name: quick
            parameters:
              app: { type: app, required: true }
            lock: "${{ params.app }}"
            steps:
              - id: mark
                type: set
                with: { done: "yes" }
            """);
  }

  @AfterEach
  void tearDown() {
    if (running != null) {
      running.process.destroyForcibly();
    }
  }

  private <T> T audit(Function<AuditStore, T> read) {
    try (AuditStore store = AuditStores.open(fixture.engine.dbUrl(), null, null)) {
      return read.apply(store);
    }
  }

  private Optional<RunRecord> run(String id) {
    return audit(s -> s.findRun(id));
  }

  /** Waits until the process says the hold step started, and returns the run's id. */
  private String holding(CliProcess process) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the process exited", () -> !process.process.isAlive())
        .until(() -> (process.out() + process.err()).contains("`hold` (wait) started"));
    try {
      Matcher id = RUN_ID.matcher(process.err() + process.out());
      assertThat(id.find()).isTrue();
      return id.group(1);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertCancelledAndFree(String id, String by) {
    RunRecord run = run(id).orElseThrow();
    assertThat(run.status()).as("%s: %s", id, run.reason()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason()).isEqualTo("cancelled by " + by + " during step 'hold'");
    Optional<String> holder = audit(s -> s.lockHolder("web"));
    assertThat(holder).as("the lock is free").isEmpty();
    assertThat(fixture.run("run", "quick", "app=web").exitCode()).isZero();
  }

  @Test
  void sigintOfRunCancelsTheRunAndFreesTheLock() throws Exception {
    running = CliProcess.start(dir, "run", fixture.env(), "run", "long", "app=web");
    String id = holding(running);
    CliFixture.Result refused = fixture.run("run", "quick", "app=web");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED);
    assertThat(refused.err())
        .contains("another run holds the lock web: " + id + " (long by U_CAROL, running since ")
        .contains("in intentbot process " + running.process.pid() + "@")
        .contains("(alive); try again when it finishes, or cancel it with `cancel " + id + "`");

    running.signal("INT");
    CliProcess.Exit exit = running.exit();

    assertThat(exit.code()).as(exit.err()).isEqualTo(ExitCode.FAILED);
    assertThat(exit.err())
        .contains("intentbot: cancelled " + id + " (U_CAROL (SIGINT to intentbot run))")
        .contains("run " + id + " cancelled");
    assertCancelledAndFree(id, "U_CAROL (SIGINT to intentbot run)");
  }

  @Test
  void sigtermOfApproveCancelsTheRunItStarted() throws Exception {
    CliFixture.Result waiting = fixture.run("run", "long", "app=web", "env=production");
    assertThat(waiting.exitCode()).as(waiting.err()).isEqualTo(ExitCode.WAITING_FOR_APPROVAL);
    String id = waiting.out().strip();
    running = CliProcess.start(dir, "approve", fixture.env("bob"), "approve", id);
    assertThat(holding(running)).isEqualTo(id);

    running.signal("TERM");
    CliProcess.Exit exit = running.exit();

    assertThat(exit.code()).as(exit.err()).isEqualTo(ExitCode.FAILED);
    assertCancelledAndFree(id, "U_BOB (SIGTERM to intentbot approve)");
  }

  @Test
  void sigintOfTheConsoleCancelsItsRunAndExits() throws Exception {
    ProcessBuilder builder = CliProcess.builder(dir, fixture.env(), "console");
    Path out = dir.resolve("console.out");
    builder.redirectErrorStream(true).redirectOutput(out.toFile());
    Process console = builder.start();
    running = null;
    try (OutputStream typing = console.getOutputStream()) {
      typing.write("long app=web\n".getBytes(StandardCharsets.UTF_8));
      typing.flush();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .failFast("the console exited", () -> !console.isAlive())
          .until(() -> java.nio.file.Files.readString(out).contains("`hold` (wait) started"));
      String id = audit(s -> s.recentRuns("long", 1)).get(0).id();

      new ProcessBuilder("kill", "-INT", String.valueOf(console.pid())).start().waitFor();
      assertThat(console.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      assertThat(console.exitValue()).as("128 + SIGINT, as a shell reports it").isEqualTo(130);
      assertCancelledAndFree(id, "U_CAROL (SIGINT to intentbot console)");
    } finally {
      console.destroyForcibly();
    }
  }

  @Test
  void theRunOfAKilledProcessIsReleasedByCancelAtOnceAndRecoveredByTheNextRun() throws Exception {
    running = CliProcess.start(dir, "killed", fixture.env(), "run", "long", "app=web");
    String first = holding(running);
    running.signal("KILL");
    assertThat(running.exit().code()).isEqualTo(128 + 9);
    assertThat(run(first).orElseThrow().status())
        .as("nobody could record the end")
        .isEqualTo(RunStatus.RUNNING);

    CliFixture.Result cancel = fixture.run("cancel", first);
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("has stopped: the run is marked interrupted");
    assertThat(run(first).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);

    running = CliProcess.start(dir, "killed-again", fixture.env(), "run", "long", "app=web");
    String second = holding(running);
    running.signal("KILL");
    running.exit();
    CliFixture.Result next = fixture.run("run", "quick", "app=web");
    assertThat(next.exitCode()).as("recovered at start: %s", next.err()).isZero();
    assertThat(run(second).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(List.of(first, second)).doesNotHaveDuplicates();
  }
}
