package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's life: built, nothing runs; listeners join before {@code start()}; started, it does
 * its background duties whatever the adapter (here: none, as in the console or the CLI).
 */
class EngineLifecycleTest {

  @TempDir Path dir;
  EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                steps:
                  - id: mark
                    type: set
                    with: { done: "yes" }
                """);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void aBuiltEngineTakesListenersAndNoCommandsUntilStarted() {
    Engine engine = fixture.build();
    engine.addListener(event -> {});
    assertThatThrownBy(
            () ->
                engine.submit(
                    RunRequest.of("deploy-app", List.of("app=web", "env=sandbox"), "U_A")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start()");
    assertThat(engine.history(null, 5)).as("reads need no start").isEmpty();

    engine.start();
    assertThatThrownBy(() -> engine.addListener(event -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before engine.start()");
    assertThatThrownBy(engine::start).isInstanceOf(IllegalStateException.class);
    assertThat(engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=sandbox"), "U_A")))
        .isInstanceOf(Submission.Started.class);
  }

  @Test
  void aListenerAddedAfterBuildHearsTheRunsOfADeadProcess() {
    Instant longAgo = Instant.now().minus(Duration.ofHours(1));
    try (AuditStore store = AuditStores.open(fixture.dbUrl(), "sa", "")) {
      store.createRun(
          new RunRecord(
              "r-orphan01",
              "deploy-app",
              Map.of("app", "web", "env", "sandbox"),
              "U_A",
              "sandbox",
              "web",
              RunStatus.RUNNING,
              false,
              "hash",
              null,
              longAgo,
              longAgo,
              null,
              Map.of(),
              null,
              Map.of("source", "test")));
      store.heartbeat("p-dead", longAgo);
      store.claimRun("r-orphan01", "p-dead");
    }
    Engine engine = fixture.build();
    List<RunEvent> heard = new CopyOnWriteArrayList<>();
    engine.addListener(heard::add);
    engine.start();

    assertThat(engine.recoverInterrupted()).containsExactly("r-orphan01");
    assertThat(heard)
        .singleElement()
        .isInstanceOfSatisfying(
            RunEvent.RunFinished.class,
            e -> assertThat(e.run().status()).isEqualTo(RunStatus.INTERRUPTED));
  }

  @Test
  void approvalsExpireInTheBackgroundWithoutAnyAdapter() {
    MutableClock clock = new MutableClock(Instant.now());
    Engine engine = fixture.clock(clock).expiryInterval(Duration.ofMillis(50)).start();
    Submission waiting =
        engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL"));
    String id = ((Submission.AwaitingApproval) waiting).run().id();

    clock.advance(Duration.ofMinutes(31));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> engine.run(id).orElseThrow().status() == RunStatus.EXPIRED);
  }
}
