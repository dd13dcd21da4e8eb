package io.intentbot.bot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit database (H2 in server mode, reached over TCP like a team's database) goes away for a
 * moment: commands get a clear answer quickly instead of hanging, nothing half-recorded is left
 * behind, a run in progress rides out a short blip, and everything works again once it is back.
 */
class AuditDatabaseOutageIT {

  static final String SLOW =
      """
      name: slow
      description: Waits a while, then records something
      risk: read-only
      steps:
        - id: pause
          type: wait
          with: { duration: 1500ms }
        - id: after
          type: set
          with: { done: "yes" }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  SlackBed bot;
  Server database;
  int port;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    databaseUp();
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("status-check.yaml"), TestIntents.STATUS);
    Files.writeString(intents.resolve("slow.yaml"), SLOW);
    slack = new FakeSlack();
    bot =
        new SlackBed(slack, dir, "jdbc:h2:tcp://127.0.0.1:" + port + "/audit;LOCK_TIMEOUT=10000")
            .start();
  }

  @AfterEach
  void stop() {
    bot.close();
    slack.close();
    database.stop();
  }

  void databaseUp() throws Exception {
    database =
        Server.createTcpServer(
                "-tcpPort",
                String.valueOf(port),
                "-baseDir",
                dir.resolve("db").toString(),
                "-ifNotExists")
            .start();
  }

  private List<String> replies(String user) {
    return slack.calls("/response/" + user + "-").stream()
        .map(c -> String.valueOf(c.form().get("json")))
        .toList();
  }

  @Test
  void commandsAnswerClearlyWhileTheDatabaseIsDownAndWorkOnceItIsBack() throws Exception {
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "status-check app=web");
    RunRecord before = bot.latestRun();
    assertThat(bot.bed.engine().awaitFinished(before.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);

    database.stop();
    Thread.sleep(700); // idle pooled connections are checked again, and new ones cannot be made
    long sent = System.nanoTime();
    assertThat(bot.requests.command("U0BOB", SlackBed.CHANNEL, "status-check app=api").statusCode())
        .isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(3));
    bot.requests.command("U0CAROL", SlackBed.CHANNEL, "history");
    await().atMost(Duration.ofSeconds(12)).until(() -> !replies("U0BOB").isEmpty());
    await().atMost(Duration.ofSeconds(12)).until(() -> !replies("U0CAROL").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .as("answered well before Slack users give up")
        .isLessThan(Duration.ofSeconds(12));
    assertThat(replies("U0BOB"))
        .singleElement(STRING)
        .contains("audit database", "nothing was run", "try again");
    assertThat(replies("U0CAROL")).singleElement(STRING).contains("audit database");

    databaseUp();
    // A person retries after a moment; the pool checks connections idle for more than 500 ms
    // and replaces the broken ones (H2's "connection broken" codes do not evict them at once).
    Thread.sleep(700);
    bot.requests.command("U0BOB", SlackBed.CHANNEL, "status-check app=api");
    await().atMost(SlackBed.WAIT).until(() -> bot.bed.engine().history(null, 10).size() == 2);
    RunRecord after = bot.bed.engine().history(null, 1).get(0);
    assertThat(after.requester()).isEqualTo("U0BOB");
    assertThat(bot.bed.engine().awaitFinished(after.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(bot.bed.engine().run(before.id()).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void aRunInProgressRidesOutABriefOutage() throws Exception {
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "slow");
    RunRecord run = bot.latestRun();
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> bot.bed.engine().run(run.id()).orElseThrow().status() == RunStatus.RUNNING);
    Thread.sleep(300);
    database.stop();
    Thread.sleep(800);
    databaseUp();

    RunRecord done = bot.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(bot.bed.engine().steps(run.id()))
        .extracting(s -> s.stepId() + ":" + s.status())
        .containsExactly("pause:" + StepStatus.SUCCEEDED, "after:" + StepStatus.SUCCEEDED);
  }

  @Test
  void aRunWhoseStepEndsWhileTheDatabaseIsDownIsRecordedOnceItIsBack() throws Exception {
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "slow");
    RunRecord run = bot.latestRun();
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> bot.bed.engine().run(run.id()).orElseThrow().status() == RunStatus.RUNNING);
    database.stop();
    Thread.sleep(
        8_000); // longer than the pool waits for a connection (5 s): the 1.5 s wait ends meanwhile
    // and its record cannot be written
    databaseUp();

    RunRecord done = bot.bed.engine().awaitFinished(run.id(), Duration.ofSeconds(30)).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(bot.bed.engine().steps(run.id()))
        .extracting(s -> s.stepId() + ":" + s.status())
        .containsExactly("pause:" + StepStatus.SUCCEEDED, "after:" + StepStatus.SUCCEEDED);
    assertThat(bot.bed.engine().audit().verify().intact()).isTrue();
  }
}
