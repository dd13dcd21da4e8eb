package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancellation interrupts the step's thread. Listeners of its output write to the database (the
 * Slack outbox does), and an H2 file write on an interrupted thread closes the database for the
 * whole process; so listeners must never run on that thread.
 */
class CancelDuringOutputTest {

  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aListenerWritingWhenTheRunIsCancelledLeavesTheDatabaseWorking() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "chatty",
                """
                name: chatty
                steps:
                  - id: talk
                    type: shell
                    with: { command: [sh, -c, "echo first; sleep 60"] }
                """);
    Engine engine = fixture.build();
    CountDownLatch inListener = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch listenerDone = new CountDownLatch(1);
    AtomicReference<Boolean> interruptedInListener = new AtomicReference<>();
    AtomicReference<Throwable> writeFailure = new AtomicReference<>();
    engine.addListener(
        event -> {
          if (!(event instanceof RunEvent.OutputLine)) {
            return;
          }
          inListener.countDown();
          awaitUninterruptibly(cancelled);
          interruptedInListener.set(Thread.currentThread().isInterrupted());
          try (Connection connection = DriverManager.getConnection(fixture.dbUrl(), "sa", "");
              Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS listener_probe (line VARCHAR(100))");
            statement.execute("INSERT INTO listener_probe VALUES ('written while cancelled')");
          } catch (Exception e) {
            writeFailure.set(e);
          } finally {
            listenerDone.countDown();
          }
        });
    engine.start();
    Submission.Started started =
        (Submission.Started) engine.submit(RunRequest.of("chatty", List.of(), "U_CAROL"));
    assertThat(inListener.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.cancel(started.run().id(), "U_CAROL").accepted()).isTrue();
    cancelled.countDown();

    RunRecord run = engine.awaitFinished(started.run().id(), Duration.ofSeconds(20)).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    // The run ends as soon as its step is cancelled; the line's delivery finishes on its own.
    assertThat(listenerDone.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(interruptedInListener.get()).as("listener ran on an interrupted thread").isFalse();
    assertThat(writeFailure.get()).as("the listener's database write").isNull();
    assertThat(engine.steps(run.id())).hasSize(1);
    assertThat(engine.history("chatty", 5))
        .extracting(RunRecord::status)
        .contains(RunStatus.CANCELLED);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
