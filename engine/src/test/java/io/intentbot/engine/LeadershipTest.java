package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.leader.DatabaseLeadership;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadershipTest {

  @TempDir Path dir;
  EngineFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void eachDutyGoesToOneProcessAndPassesOnWhenItsHolderCloses() {
    try (AuditStore store = AuditStores.open(AuditStores.defaultUrl(dir), null, null)) {
      Duration ttl = Duration.ofMinutes(1);
      DatabaseLeadership a = new DatabaseLeadership(store, "a", ttl, Clock.systemUTC());
      DatabaseLeadership b = new DatabaseLeadership(store, "b", ttl, Clock.systemUTC());
      assertThat(a.mayRun("slack-outbox")).isTrue();
      assertThat(a.mayRun("slack-outbox")).as("renewed by its holder").isTrue();
      assertThat(b.mayRun("slack-outbox")).as("held by a").isFalse();
      assertThat(b.mayRun("approval-expiry")).as("another duty is free").isTrue();
      assertThat(a.mayRun("approval-expiry")).isFalse();
      assertThat(a.describe()).contains("database", "as a");

      a.close();
      assertThat(a.mayRun("slack-outbox")).as("a closed leadership does nothing").isFalse();
      assertThat(b.mayRun("slack-outbox")).as("released at once, not after the ttl").isTrue();
      b.close();
    }
  }

  @Test
  void onlyTheProcessLeadingTheDutyMarksInterruptedRunsAfterItsHeartbeats() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "long",
                """
                name: long
                steps:
                  - id: sleepy
                    type: shell
                    with: { command: [sleep, "30"] }
                """);
    Engine first = fixture.start();
    String runId =
        ((Submission.Started) first.submit(RunRequest.of("long", List.of(), "U_A"))).run().id();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.run(runId).orElseThrow().status() == RunStatus.RUNNING);
    Instant now = Instant.now();
    assertThat(
            first
                .audit()
                .holdLease(Leadership.INTERRUPTED_RUNS, "elsewhere", now, now.plusSeconds(3600)))
        .isTrue();

    // Five minutes on, the first process looks silent to this one, which beats every 100 ms.
    fixture
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)))
        .processTimeout(Duration.ofMillis(300));
    Engine second = fixture.start();
    Thread.sleep(800);
    assertThat(second.run(runId).orElseThrow().status())
        .as("another process leads the duty")
        .isEqualTo(RunStatus.RUNNING);

    first.audit().releaseLease(Leadership.INTERRUPTED_RUNS, "elsewhere");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> second.run(runId).orElseThrow().status() == RunStatus.INTERRUPTED);
    assertThat(second.leadership().mayRun(Leadership.INTERRUPTED_RUNS)).isTrue();

    second.close();
    Instant later = Instant.now();
    assertThat(
            first
                .audit()
                .holdLease(Leadership.INTERRUPTED_RUNS, "elsewhere", later, later.plusSeconds(60)))
        .as("closing the engine released its lease")
        .isTrue();
  }
}
