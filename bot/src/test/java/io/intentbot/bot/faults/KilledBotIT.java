package io.intentbot.bot.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.SlackBlocks;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} from the packaged jar, killed with SIGKILL in the middle of a run and
 * started again on the same H2 file: the run is marked interrupted (in the database and in its
 * Slack thread), the lock it held is free, and a run that was waiting for approval can still be
 * approved and runs.
 */
class KilledBotIT {

  static final String SECRET = "test-signing-secret";
  static final String CHANNEL = "C0OPS";
  static final Duration WAIT = Duration.ofSeconds(20);

  static final String LONG =
      """
      name: long
      description: Holds the app's lock for a long time
      risk: mutating
      parameters:
        app: { type: app, required: true }
      lock: "${{ params.app }}"
      steps:
        - id: hold
          type: wait
          with: { duration: 10m }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  Process bot;
  int port;
  SignedRequests requests;

  @BeforeEach
  void setUp() throws Exception {
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("deploy-app.yaml"), TestIntents.DEPLOY);
    Files.writeString(intents.resolve("long.yaml"), LONG);
    Files.writeString(dir.resolve("intentbot.yaml"), TestIntents.CONFIG);
    slack = new FakeSlack();
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    requests = new SignedRequests("http://127.0.0.1:" + port + "/slack/events", SECRET, slack);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (bot != null) {
      bot.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    slack.close();
  }

  private void startBot() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                io.intentbot.bot.testing.ShippedJar.command(
                    "serve",
                    "--port",
                    String.valueOf(port),
                    "--config",
                    dir.resolve("intentbot.yaml").toString(),
                    "--intents",
                    dir.resolve("intents").toString()))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("bot.log").toFile()));
    builder.environment().put("SLACK_BOT_TOKEN", "xoxb-test-token-0123456789");
    builder.environment().put("SLACK_SIGNING_SECRET", SECRET);
    builder.environment().put("SLACK_API_URL", slack.apiUrl());
    builder.environment().put("INTENTBOT_DATA", dir.resolve("data").toString());
    builder.environment().put("INTENTBOT_PROCESS_TIMEOUT", "1s");
    bot = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(IOException.class)
        .failFast("the bot exited:\n" + log(), () -> !bot.isAlive())
        .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  private String log() throws IOException {
    Path log = dir.resolve("bot.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** Reads the audit file next to the running bot (H2's AUTO_SERVER lets two processes in). */
  private <T> T audit(java.util.function.Function<AuditStore, T> read) {
    try (AuditStore store =
        AuditStores.open(AuditStores.defaultUrl(dir.resolve("data")), null, null)) {
      return read.apply(store);
    }
  }

  private RunRecord newestRun(String intent) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !audit(s -> s.recentRuns(intent, 1)).isEmpty());
    return audit(s -> s.recentRuns(intent, 1)).get(0);
  }

  private Optional<RunRecord> run(String id) {
    return audit(s -> s.findRun(id));
  }

  private String thread() {
    return String.join(
        "\n",
        slack.okCalls("/api/chat.postMessage").stream()
            .map(c -> c.get("text") + " " + c.get("blocks"))
            .toList());
  }

  @Test
  void aKilledRunIsMarkedInterruptedItsLockFreedAndApprovalsSurvive() throws Exception {
    startBot();
    requests.command("U0ALICE", CHANNEL, "deploy-app app=api env=production");
    RunRecord waiting = newestRun("deploy-app");
    assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    requests.command("U0ALICE", CHANNEL, "long app=web");
    RunRecord running = newestRun("long");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> run(running.id()).orElseThrow().status() == RunStatus.RUNNING);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> thread().contains("`hold` (wait) started"));

    bot.destroyForcibly();
    assertThat(bot.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bot.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    assertThat(run(running.id()).orElseThrow().status())
        .as("nobody could record the end")
        .isEqualTo(RunStatus.RUNNING);

    startBot();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .alias("the new process marks the silent one's run within its process timeout")
        .until(() -> run(running.id()).orElseThrow().status() == RunStatus.INTERRUPTED);
    RunRecord interrupted = run(running.id()).orElseThrow();
    assertThat(interrupted.reason()).contains("stopped while the run was in progress");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        slack.okCalls("/api/chat.postMessage").stream()
                            .filter(c -> c.get("thread_ts") != null)
                            .map(c -> c.get("text"))
                            .toList())
                    .as("the run's thread says it was interrupted")
                    .anyMatch(t -> t.contains("Run interrupted")));

    requests.command("U0BOB", CHANNEL, "long app=web");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              RunRecord again = newestRun("long");
              assertThat(again.id()).isNotEqualTo(running.id());
              assertThat(again.status()).as("the lock was released").isEqualTo(RunStatus.RUNNING);
            });

    requests.click("U0APPROVER", SlackBlocks.APPROVE, waiting.id(), CHANNEL);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> run(waiting.id()).orElseThrow().status() == RunStatus.SUCCEEDED);
    List<String> approvers =
        audit(s -> s.approvals(waiting.id())).stream().map(a -> a.user()).toList();
    assertThat(approvers).containsExactly("U0APPROVER");
  }
}
