package io.intentbot.bot.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.SlackBlocks;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Slack servers ("replicas") on one PostgreSQL audit store, requests spread over both: an
 * approval clicked on both at once starts the run exactly once, and an intent's lock taken on one
 * replica refuses the same lock on the other.
 *
 * <p>Each thread line is posted once whichever replica ran the run (one replica at a time holds the
 * outbox lease), and a replica that starts leaves the runs of the live one alone.
 */
class TwoReplicasIT {

  static final String HOLD =
      """
      name: hold
      description: Holds the app's lock for a while
      risk: mutating
      parameters:
        app: { type: app, required: true }
      lock: "${{ params.app }}"
      steps:
        - id: hold
          type: wait
          with: { duration: 3s }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  SlackBed a;
  SlackBed b;

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @BeforeEach
  void start() throws Exception {
    String name = postgres.createDatabase("replicas");
    String url = postgres.getJdbcUrl("postgres", name);
    slack = new FakeSlack();
    a = new SlackBed(slack, replicaDir("a"), url).start();
    b = new SlackBed(slack, replicaDir("b"), url).start();
  }

  private Path replicaDir(String name) throws Exception {
    Path intents = Files.createDirectories(dir.resolve(name).resolve("intents"));
    Files.writeString(intents.resolve("deploy-app.yaml"), TestIntents.DEPLOY);
    Files.writeString(intents.resolve("hold.yaml"), HOLD);
    return dir.resolve(name);
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (slack != null) {
      slack.close();
    }
  }

  @Test
  void approvalsClickedOnBothReplicasAtOnceStartTheRunOnce() throws Exception {
    a.requests.command("U0ALICE", SlackBed.CHANNEL, "deploy-app app=web env=production");
    RunRecord waiting = a.latestRun();
    assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(b.bed.engine().run(waiting.id())).as("B sees A's run").isPresent();

    ExecutorService clicks = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SlackBed replica = i % 2 == 0 ? a : b;
      String approver = i % 4 < 2 ? "U0APPROVER" : "U0OTHER";
      answers.add(
          clicks.submit(
              () -> {
                go.await();
                return replica
                    .requests
                    .click(approver, SlackBlocks.APPROVE, waiting.id(), SlackBed.CHANNEL)
                    .statusCode();
              }));
    }
    go.countDown();
    for (Future<Integer> answer : answers) {
      assertThat(answer.get()).isEqualTo(200);
    }
    clicks.shutdown();

    await()
        .atMost(SlackBed.WAIT)
        .until(() -> a.bed.engine().run(waiting.id()).orElseThrow().status().isTerminal());
    assertThat(a.bed.engine().run(waiting.id()).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(b.bed.engine().steps(waiting.id()))
        .as("each step ran once")
        .extracting(s -> s.stepId() + ":" + s.status())
        .containsExactly(
            "version:" + StepStatus.SUCCEEDED,
            "settle:" + StepStatus.SUCCEEDED,
            "done:" + StepStatus.SUCCEEDED);
    assertThat(a.bed.audit().approvals(waiting.id()))
        .filteredOn(approval -> approval.approved())
        .isNotEmpty();
  }

  @Test
  void aLockTakenOnOneReplicaRefusesTheSameLockOnTheOther() throws Exception {
    a.requests.command("U0ALICE", SlackBed.CHANNEL, "hold app=web");
    RunRecord holding = a.latestRun();
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> a.bed.engine().run(holding.id()).orElseThrow().status() == RunStatus.RUNNING);

    b.requests.command("U0BOB", SlackBed.CHANNEL, "hold app=web");
    await().atMost(SlackBed.WAIT).until(() -> !slack.calls("/response/U0BOB-").isEmpty());
    assertThat(slack.calls("/response/U0BOB-").get(0).form().get("json"))
        .contains("Refused", holding.id());
    assertThat(b.bed.engine().history("hold", 10)).hasSize(1);

    b.requests.command("U0BOB", SlackBed.CHANNEL, "hold app=api");
    await().atMost(SlackBed.WAIT).until(() -> b.bed.engine().history("hold", 10).size() == 2);

    assertThat(a.bed.engine().awaitFinished(holding.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    b.requests.command("U0BOB", SlackBed.CHANNEL, "hold app=web");
    await()
        .atMost(SlackBed.WAIT)
        .alias("the lock is free on B once A's run ended")
        .until(() -> b.bed.engine().history("hold", 10).size() == 3);
  }

  @Test
  void aReplicaThatStartsLeavesTheOtherReplicasRunsAlone() throws Exception {
    a.requests.command("U0ALICE", SlackBed.CHANNEL, "hold app=web");
    RunRecord holding = a.latestRun();
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> a.bed.engine().run(holding.id()).orElseThrow().status() == RunStatus.RUNNING);
    assertThat(b.bed.engine().recoverInterrupted()).as("A still beats").isEmpty();
    assertThat(a.bed.engine().awaitFinished(holding.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void eachThreadLineIsPostedOnceWhicheverReplicaRanTheRun() throws Exception {
    a.requests.command("U0ALICE", SlackBed.CHANNEL, "deploy-app app=web env=sandbox");
    RunRecord first = a.latestRun();
    b.requests.command("U0BOB", SlackBed.CHANNEL, "deploy-app app=api env=sandbox");
    RunRecord second = b.latestRun();
    for (RunRecord run : List.of(first, second)) {
      assertThat(a.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow().status())
          .isEqualTo(RunStatus.SUCCEEDED);
    }
    await()
        .atMost(SlackBed.WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        slack.okCalls("/api/chat.postMessage").stream()
                            .filter(c -> c.get("thread_ts") != null)
                            .map(c -> c.get("text"))
                            .filter(t -> t != null && t.contains("Run succeeded"))
                            .toList())
                    .hasSize(2));
    Thread.sleep(1500);
    List<String> posted =
        slack.okCalls("/api/chat.postMessage").stream()
            .map(c -> c.get("thread_ts") + "|" + c.get("text"))
            .toList();
    assertThat(posted).as("no message posted twice").doesNotHaveDuplicates();
  }
}
