package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run left in progress by an intentbot process on this host that is gone (its heartbeat still
 * fresh: it was killed a moment ago): the lock refusal says so, {@code cancel} releases it at once,
 * and {@code recoverInterrupted} marks it without waiting for the process timeout. A live process's
 * run is left alone.
 */
class StoppedProcessTest {

  @TempDir Path dir;
  EngineFixture fixture;
  Process sleeper;

  @BeforeEach
  void setUp() {
    fixture =
        new EngineFixture(dir)
            .intent(
                "locked",
                """
                name: locked
                lock: web
                steps:
                  - id: mark
                    type: set
                    with: { done: "yes" }
                """);
  }

  @AfterEach
  void tearDown() {
    if (sleeper != null) {
      sleeper.destroyForcibly();
    }
    fixture.close();
  }

  private static String host() throws Exception {
    String host = InetAddress.getLocalHost().getHostName();
    return host.length() > 40 ? host.substring(0, 40) : host;
  }

  /** The pid of a process that has exited. */
  private static long deadPid() throws Exception {
    Process done = new ProcessBuilder("true").start();
    assertThat(done.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return done.pid();
  }

  /** A run of {@code locked} in progress, holding lock web, claimed by {@code processId}. */
  private void orphan(String runId, String processId) {
    Instant now = Instant.now();
    try (AuditStore store = AuditStores.open(fixture.dbUrl(), "sa", "")) {
      store.createRun(
          new RunRecord(
              runId,
              "locked",
              Map.of(),
              "U_HOLDER",
              null,
              null,
              RunStatus.RUNNING,
              false,
              "hash",
              "web",
              now,
              now,
              null,
              Map.of(),
              null,
              Map.of("source", "cli")));
      assertThat(store.tryLock("web", runId, now)).isEmpty();
      store.heartbeat(processId, now);
      store.claimRun(runId, processId);
    }
  }

  private Submission another(Engine engine) {
    return engine.submit(RunRequest.of("locked", List.of(), "U_OTHER"));
  }

  @Test
  void aLockHeldByAStoppedProcessSaysSoAndCancelReleasesItAtOnce() throws Exception {
    String process = deadPid() + "@" + host() + "-0a1b2c3d";
    orphan("r-orphan01", process);
    Engine engine = fixture.start();

    Submission refused = another(engine);
    assertThat(refused).isInstanceOf(Submission.Refused.class);
    Refusal.LockHeld held = (Refusal.LockHeld) ((Submission.Refused) refused).reason();
    assertThat(held.holder()).isEqualTo("r-orphan01");
    assertThat(held.holderRequester()).isEqualTo("U_HOLDER");
    assertThat(held.since()).isNotNull();
    assertThat(held.holderProcess()).isEqualTo(process);
    assertThat(held.holderAlive()).isFalse();

    Decision cancelled = engine.cancel("r-orphan01", "U_HOLDER");
    assertThat(cancelled.accepted()).as("%s", cancelled).isTrue();
    assertThat(((Decision.Accepted) cancelled).kind()).isEqualTo(Decision.Kind.RECOVERED);
    RunRecord after = engine.run("r-orphan01").orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(after.reason()).contains("stopped while the run was in progress");
    assertThat(another(engine)).as("the lock is free").isInstanceOf(Submission.Started.class);
  }

  @Test
  void recoveryMarksTheRunOfAGoneLocalProcessWithoutWaitingForItsTimeout() throws Exception {
    orphan("r-orphan02", deadPid() + "@" + host() + "-0a1b2c3d");
    Engine engine = fixture.start();
    assertThat(engine.recoverInterrupted()).containsExactly("r-orphan02");
    assertThat(engine.run("r-orphan02").orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
  }

  @Test
  void theRunOfALiveProcessIsLeftAloneAndNamedAlive() throws Exception {
    sleeper = new ProcessBuilder("sleep", "120").start();
    String process = sleeper.pid() + "@" + host() + "-0a1b2c3d";
    orphan("r-alive001", process);
    Engine engine = fixture.start();

    assertThat(engine.recoverInterrupted()).isEmpty();
    Refusal.LockHeld held = (Refusal.LockHeld) ((Submission.Refused) another(engine)).reason();
    assertThat(held.holderAlive()).isTrue();
    Decision cancel = engine.cancel("r-alive001", "U_HOLDER");
    assertThat(cancel.accepted()).isFalse();
    assertThat(((Decision.Refused) cancel).reason()).isInstanceOf(Refusal.InAnotherProcess.class);
    assertThat(engine.run("r-alive001").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
  }
}
