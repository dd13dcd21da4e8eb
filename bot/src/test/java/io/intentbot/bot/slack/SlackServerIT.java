package io.intentbot.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack server end to end: real signed HTTP requests into bolt-jetty on a free port, a real
 * engine on an H2 file, WireMock as Slack's Web API.
 */
class SlackServerIT {

  static final String SECRET = "test-signing-secret";
  static final String CHANNEL = "C0OPS";
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  FakeSlack slack;
  SlackSettings settings;
  EngineFixture bed;
  OutboxStore outbox;
  SlackServer server;
  SignedRequests requests;
  String base;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack();
    settings =
        new SlackSettings(
            "xoxb-test-token-0123456789",
            SECRET,
            "xapp-test-token-0123456789",
            slack.apiUrl(),
            "/intent",
            List.of(),
            "C0SECURITY",
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofMillis(100));
    boot(TestIntents.CONFIG);
  }

  void boot(String config) throws Exception {
    bed =
        TestIntents.engine(dir, SlackBot.groupDirectory(settings))
            .config(config)
            .expiryInterval(settings.expiryInterval());
    bed.build();
    outbox = OutboxStore.open(bed.dbUrl(), null, null);
    server = new SlackServer(bed.engine(), settings, outbox);
    bed.started();
    int port = server.start(0);
    base = "http://127.0.0.1:" + port;
    requests = new SignedRequests(base + SlackServer.EVENTS_PATH, SECRET, slack);
  }

  void shutdown() {
    if (server != null) {
      server.stop();
      server = null;
    }
    if (bed != null) {
      bed.close();
      bed = null;
    }
    if (outbox != null) {
      outbox.close();
      outbox = null;
    }
  }

  @AfterEach
  void stop() {
    shutdown();
    List<String> overLimits = slack.limitProblems();
    slack.close();
    assertThat(overLimits).as("calls over Slack's limits").isEmpty();
  }

  /** Waits until the run's top message is updated to say {@code text}, with no buttons left. */
  private void awaitHeadWithoutButtons(String ts, String text) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .anyMatch(
                        c ->
                            ts.equals(c.get("ts"))
                                && c.get("blocks").contains(text)
                                && !c.get("blocks").contains(SlackBlocks.APPROVE)));
  }

  private RunRecord latestRun() {
    await().atMost(WAIT).until(() -> !bed.engine().history(null, 1).isEmpty());
    return bed.engine().history(null, 1).get(0);
  }

  private List<FakeSlack.Call> responses(String user) {
    return slack.calls("/response/" + user + "-");
  }

  private FakeSlack.Call head(String runId) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.postMessage").stream()
                    .anyMatch(
                        c ->
                            c.get("thread_ts") == null
                                && String.valueOf(c.get("blocks")).contains(runId)));
    return slack.okCalls("/api/chat.postMessage").stream()
        .filter(c -> c.get("thread_ts") == null && String.valueOf(c.get("blocks")).contains(runId))
        .findFirst()
        .orElseThrow();
  }

  private String ts(FakeSlack.Call head) {
    String body = head.responseBody();
    int i = body.indexOf("\"ts\":\"") + 6;
    return body.substring(i, body.indexOf('"', i));
  }

  private List<String> threadTexts(String ts) {
    return slack.okCalls("/api/chat.postMessage").stream()
        .filter(c -> ts.equals(c.get("thread_ts")))
        .map(c -> c.get("text"))
        .toList();
  }

  @Test
  void sandboxRunAcksAtOnceAndThreadsEverything() throws Exception {
    long before = System.nanoTime();
    HttpResponse<String> ack =
        requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=sandbox version=1.2.3");
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(3));

    RunRecord run = latestRun();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    FakeSlack.Call head = head(run.id());
    assertThat(head.get("channel")).isEqualTo(CHANNEL);
    assertThat(head.get("blocks"))
        .contains("deploy-app", "U0ALICE", "sandbox")
        .doesNotContain("intent_approve");
    String ts = ts(head);
    await().atMost(WAIT).until(() -> String.join("\n", threadTexts(ts)).contains("Run succeeded"));
    String thread = String.join("\n", threadTexts(ts));
    assertThat(thread).contains("`version`", "settling", "`done` succeeded");
    assertThat(thread.indexOf("`version`")).isLessThan(thread.indexOf("settling"));
    assertThat(thread.indexOf("settling")).isLessThan(thread.indexOf("Run succeeded"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .anyMatch(
                        c -> ts.equals(c.get("ts")) && c.get("blocks").contains("succeeded")));
    assertThat(responses("U0ALICE"))
        .singleElement()
        .satisfies(c -> assertThat(c.form().get("json")).contains("Started run", "ephemeral"));

    HttpResponse<String> metrics = requests.get(base + "/metrics");
    assertThat(metrics.body())
        .contains("intentbot_runs_total{intent=\"deploy-app\",status=\"succeeded\"} 1.0")
        .contains("intentbot_step_duration_seconds")
        .contains("intentbot_slack_ack_seconds");
    HttpResponse<String> health = requests.get(base + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .isEqualTo(
            "{\"status\":\"ok\",\"slack\":\"ok\",\"database\":\"ok\",\"broken_intents\":[],"
                + "\"slack_problems\":[]}\n");
  }

  @Test
  void badSignatureAndStaleTimestampGive401AndNoRun() throws Exception {
    String body =
        requests.commandBody("U0ALICE", CHANNEL, "deploy-app app=web env=sandbox", "trig-bad");
    assertThat(requests.post(body, Instant.now(), "v0=" + "0".repeat(64)).statusCode())
        .isEqualTo(401);
    assertThat(requests.post(body, Instant.now().minusSeconds(6 * 60), null).statusCode())
        .isEqualTo(401);
    assertThat(requests.post(body, Instant.now().plusSeconds(6 * 60), null).statusCode())
        .isEqualTo(401);
    Thread.sleep(300);
    assertThat(bed.engine().history(null, 10)).isEmpty();
    assertThat(slack.calls("/api/chat.postMessage")).isEmpty();
  }

  @Test
  void duplicatedDeliveryRunsOnce() throws Exception {
    String body = requests.commandBody("U0ALICE", CHANNEL, "status-check app=web", "trig-dup");
    assertThat(requests.post(body, Instant.now(), null).statusCode()).isEqualTo(200);
    assertThat(requests.post(body, Instant.now(), null).statusCode()).isEqualTo(200);
    RunRecord run = latestRun();
    bed.engine().awaitFinished(run.id(), WAIT);
    Thread.sleep(300);
    assertThat(bed.engine().history(null, 10)).hasSize(1);
  }

  @Test
  void theAckWaitsForNoDatabaseTheReplayCheckComesAfterItAndStillActsOnce() throws Exception {
    CountDownLatch open = new CountDownLatch(1);
    RecentKeys memory = new RecentKeys(100);
    server
        .bot()
        .replayKeys(
            keys -> {
              try {
                open.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return memory.firstTime(keys);
            });
    String body = requests.commandBody("U0ALICE", CHANNEL, "status-check app=web", "trig-slow");
    assertThat(requests.post(body, Instant.now(), null).statusCode())
        .as("acknowledged while the replay store cannot answer")
        .isEqualTo(200);
    assertThat(requests.post(body, Instant.now(), null).statusCode()).isEqualTo(200);
    assertThat(bed.engine().history(null, 10)).as("nothing acted on before the check").isEmpty();
    open.countDown();
    RunRecord run = latestRun();
    bed.engine().awaitFinished(run.id(), WAIT);
    Thread.sleep(300);
    assertThat(bed.engine().history(null, 10)).hasSize(1);
  }

  @Test
  void validationErrorsAndUnknownIntentsAnswerPrivately() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=nope env=sandbox");
    requests.command("U0BOB", CHANNEL, "deploy-ap app=web");
    await()
        .atMost(WAIT)
        .until(() -> responses("U0ALICE").size() == 1 && responses("U0BOB").size() == 1);
    assertThat(responses("U0ALICE").get(0).form().get("json"))
        .contains("\"response_type\":\"ephemeral\"", "nope", "app", "one of: web, api");
    assertThat(responses("U0BOB").get(0).form().get("json")).contains("Did you mean `deploy-app`");
    assertThat(bed.engine().history(null, 10)).isEmpty();
  }

  @Test
  void helpAndDescribe() throws Exception {
    requests.command("U0ALICE", CHANNEL, "describe deploy-app");
    requests.command("U0BOB", CHANNEL, "help");
    await()
        .atMost(WAIT)
        .until(() -> responses("U0ALICE").size() == 1 && responses("U0BOB").size() == 1);
    assertThat(responses("U0ALICE").get(0).form().get("json"))
        .contains("`replicas` integer, default `2`, 1..20", "<@U0APPROVER>", "<!subteam^S0SRE>");
    assertThat(responses("U0BOB").get(0).form().get("json"))
        .contains("describe INTENT", "`chatty`");
  }

  @Test
  void approvalCardSelfApprovalRefusedAndConcurrentClicksStartOnce() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    assertThat(run.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    FakeSlack.Call card = head(run.id());
    assertThat(card.get("blocks"))
        .contains(
            "\"action_id\":\"intent_approve\"",
            "\"action_id\":\"intent_reject\"",
            "\"value\":\"" + run.id() + "\"")
        .contains("Plan", "settle", "<@U0APPROVER>");

    requests.click("U0ALICE", SlackBlocks.APPROVE, run.id(), CHANNEL);
    requests.click("U0MALLORY", SlackBlocks.APPROVE, run.id(), CHANNEL);
    await()
        .atMost(WAIT)
        .until(() -> responses("U0ALICE").size() == 2 && responses("U0MALLORY").size() == 1);
    assertThat(responses("U0ALICE").get(1).form().get("json"))
        .contains("cannot approve it yourself", "<@U0APPROVER>", "<!subteam^S0SRE>");
    assertThat(responses("U0MALLORY").get(0).form().get("json"))
        .contains("may not approve", "U0APPROVER");
    assertThat(bed.engine().run(run.id()).orElseThrow().status())
        .isEqualTo(RunStatus.WAITING_APPROVAL);

    String[] approvers = {"U0APPROVER", "U0OTHER", "U0GROUP"};
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> clicks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String user = approvers[i % approvers.length];
      clicks.add(
          pool.submit(
              () -> {
                go.await();
                return requests.click(user, SlackBlocks.APPROVE, run.id(), CHANNEL).statusCode();
              }));
    }
    go.countDown();
    for (Future<Integer> click : clicks) {
      assertThat(click.get()).isEqualTo(200);
    }
    pool.shutdown();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(bed.engine().steps(run.id()))
        .extracting(s -> s.stepId())
        .containsExactly("version", "settle", "done");
    String ts = ts(card);
    await().atMost(WAIT).until(() -> String.join("\n", threadTexts(ts)).contains("Run succeeded"));
    String thread = String.join("\n", threadTexts(ts));
    assertThat(thread.split("Run succeeded", -1)).hasSize(2);
    assertThat(thread.split("`version` succeeded", -1)).hasSize(2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .anyMatch(
                        c ->
                            ts.equals(c.get("ts"))
                                && c.get("blocks").contains("succeeded")
                                && c.get("blocks").contains("Approved by")));
    FakeSlack.Call last =
        slack.okCalls("/api/chat.update").stream().reduce((a, b) -> b).orElseThrow();
    assertThat(last.get("blocks")).doesNotContain("intent_approve");
  }

  @Test
  void slackAnswering429And500LosesNoLine() throws Exception {
    slack.server.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(1)
            .withRequestBody(containing("thread_ts"))
            .inScenario("flaky")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "1")
                    .withBody("{\"ok\":false,\"error\":\"ratelimited\"}"))
            .willSetStateTo("limited"));
    slack.server.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(1)
            .withRequestBody(containing("thread_ts"))
            .inScenario("flaky")
            .whenScenarioStateIs("limited")
            .willReturn(aResponse().withStatus(500).withBody("oops"))
            .willSetStateTo("down"));
    slack.server.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(1)
            .withRequestBody(containing("thread_ts"))
            .inScenario("flaky")
            .whenScenarioStateIs("down")
            .willReturn(aResponse().withStatus(503).withBody("still down"))
            .willSetStateTo("recovered"));

    requests.command("U0ALICE", CHANNEL, "chatty env=sandbox");
    RunRecord run = latestRun();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    String ts = ts(head(run.id()));
    await().atMost(WAIT).until(() -> String.join("\n", threadTexts(ts)).contains("Run succeeded"));

    List<String> lines = new ArrayList<>();
    for (String text : threadTexts(ts)) {
      text.lines().filter(l -> l.matches("\\d+")).forEach(lines::add);
    }
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      expected.add(String.valueOf(i));
    }
    assertThat(lines).containsExactlyElementsOf(expected);

    List<FakeSlack.Call> threadCalls =
        slack.calls("/api/chat.postMessage").stream()
            .filter(c -> c.get("thread_ts") != null)
            .toList();
    FakeSlack.Call limited =
        threadCalls.stream().filter(c -> c.status() == 429).findFirst().orElseThrow();
    FakeSlack.Call next = threadCalls.get(threadCalls.indexOf(limited) + 1);
    assertThat(next.at() - limited.at()).isGreaterThanOrEqualTo(900);
    assertThat(threadCalls).anyMatch(c -> c.status() == 500).anyMatch(c -> c.status() == 503);
    assertThat(requests.get(base + "/metrics").body())
        .contains("intentbot_slack_api_errors_total{error=\"429\"");
  }

  @Test
  void missingParametersOpenAModalAndItsSubmitRunsAsTyped() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web --dry-run");
    await().atMost(WAIT).until(() -> slack.calls("/api/views.open").size() == 1);
    FakeSlack.Call open = slack.calls("/api/views.open").get(0);
    assertThat(open.get("trigger_id")).startsWith("trig-");
    String view = open.get("view");
    assertThat(view)
        .contains("\"callback_id\":\"intent_run\"")
        .contains("\"block_id\":\"p_env\"", "\"static_select\"", "\"value\":\"production\"")
        .contains("\"number_input\"", "\"min_value\":\"1\"", "\"max_value\":\"20\"")
        .contains("\"initial_value\":\"2\"")
        .contains("which app")
        .contains(
            "\"initial_option\":{\"text\":{\"type\":\"plain_text\",\"text\":\"web\"},\"value\":\"web\"}");
    String metadata =
        ParameterModal.metadataJson(new ParameterModal.Metadata("deploy-app", CHANNEL, false));

    HttpResponse<String> invalid =
        requests.submitView(
            "U0ALICE",
            metadata,
            "{\"p_app\":{\"value\":{\"type\":\"static_select\",\"selected_option\":{\"value\":\"web\"}}},"
                + "\"p_replicas\":{\"value\":{\"type\":\"number_input\",\"value\":\"50\"}}}");
    assertThat(invalid.statusCode()).isEqualTo(200);
    assertThat(invalid.body())
        .contains(
            "\"response_action\":\"errors\"",
            "p_env",
            "env is required",
            "p_replicas",
            "between 1 and 20");
    assertThat(bed.engine().history(null, 10)).isEmpty();

    HttpResponse<String> valid =
        requests.submitView(
            "U0ALICE",
            metadata,
            "{\"p_app\":{\"value\":{\"type\":\"static_select\",\"selected_option\":{\"value\":\"api\"}}},"
                + "\"p_env\":{\"value\":{\"type\":\"static_select\",\"selected_option\":{\"value\":\"sandbox\"}}},"
                + "\"p_version\":{\"value\":{\"type\":\"plain_text_input\",\"value\":\"2.0.1\"}},"
                + "\"p_replicas\":{\"value\":{\"type\":\"number_input\",\"value\":\"3\"}}}");
    assertThat(valid.statusCode()).isEqualTo(200);
    RunRecord run = latestRun();
    assertThat(run.parameters())
        .containsEntry("app", "api")
        .containsEntry("version", "2.0.1")
        .containsEntry("replicas", "3");
    assertThat(run.origin()).containsEntry("channel", CHANNEL);
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(head(run.id()).get("channel")).isEqualTo(CHANNEL);
  }

  @Test
  void pendingApprovalSurvivesARestartAndKeepsItsThread() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    String ts = ts(head(run.id()));
    shutdown();
    boot(TestIntents.CONFIG);

    requests.click("U0APPROVER", SlackBlocks.APPROVE, run.id(), CHANNEL);
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(WAIT).until(() -> String.join("\n", threadTexts(ts)).contains("Run succeeded"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .anyMatch(
                        c -> ts.equals(c.get("ts")) && c.get("blocks").contains("succeeded")));
    assertThat(
            slack.okCalls("/api/chat.postMessage").stream()
                .filter(
                    c ->
                        c.get("thread_ts") == null
                            && c.get("blocks") != null
                            && c.get("blocks").contains(run.id())))
        .hasSize(1);
  }

  @Test
  void planDriftStopsTheRunAndTheThreadSaysWhy() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    String ts = ts(head(run.id()));
    shutdown();
    Path intent = dir.resolve("intents/deploy-app.yaml");
    Files.writeString(intent, Files.readString(intent).replace("duration: 50ms", "duration: 60ms"));
    boot(TestIntents.CONFIG);

    requests.click("U0APPROVER", SlackBlocks.APPROVE, run.id(), CHANNEL);
    await().atMost(WAIT).until(() -> responses("U0APPROVER").size() == 1);
    assertThat(responses("U0APPROVER").get(0).form().get("json")).contains("plan changed");
    assertThat(bed.engine().run(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(bed.engine().steps(run.id())).isEmpty();
    await().atMost(WAIT).until(() -> String.join("\n", threadTexts(ts)).contains("plan changed"));
    awaitHeadWithoutButtons(ts, "cancelled");
  }

  @Test
  void approvalExpiresAndTheButtonsGo() throws Exception {
    shutdown();
    boot(TestIntents.CONFIG.replace("expires_after: 30m", "expires_after: 1s"));
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    String ts = ts(head(run.id()));
    await()
        .atMost(WAIT)
        .until(() -> bed.engine().run(run.id()).orElseThrow().status() == RunStatus.EXPIRED);
    awaitHeadWithoutButtons(ts, "approval expired");
    requests.click("U0APPROVER", SlackBlocks.APPROVE, run.id(), CHANNEL);
    await().atMost(WAIT).until(() -> responses("U0APPROVER").size() == 1);
    assertThat(responses("U0APPROVER").get(0).form().get("json")).contains("expired");
  }

  @Test
  void breakGlassIsAnnouncedInTheConfiguredChannel() throws Exception {
    requests.command(
        "U0OTHER", CHANNEL, "deploy-app app=web env=production --break-glass \"site is down\"");
    RunRecord run = latestRun();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.postMessage").stream()
                    .anyMatch(c -> "C0SECURITY".equals(c.get("channel"))));
    FakeSlack.Call notice =
        slack.okCalls("/api/chat.postMessage").stream()
            .filter(c -> "C0SECURITY".equals(c.get("channel")))
            .findFirst()
            .orElseThrow();
    assertThat(notice.get("text"))
        .contains("BREAK GLASS", "site is down", run.id(), "<@U0APPROVER>");
    assertThat(head(run.id()).get("blocks")).contains("BREAK GLASS");
  }

  @Test
  void channelsOutsideTheAllowListAreRefused() throws Exception {
    shutdown();
    settings =
        new SlackSettings(
            settings.botToken(),
            SECRET,
            null,
            slack.apiUrl(),
            "/intent",
            List.of("C0ALLOWED"),
            null,
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofMillis(100));
    boot(TestIntents.CONFIG);
    HttpResponse<String> ack = requests.command("U0ALICE", "C0RANDOM", "status-check app=web");
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(ack.body()).contains("not enabled in this channel");
    Thread.sleep(300);
    assertThat(bed.engine().history(null, 10)).isEmpty();
  }

  @Test
  void badPayloadsGetClearAnswersAndTheServerCarriesOn() throws Exception {
    HttpResponse<String> garbage =
        requests.post(
            "payload="
                + java.net.URLEncoder.encode("{not json", java.nio.charset.StandardCharsets.UTF_8),
            Instant.now(),
            null);
    assertThat(garbage.statusCode()).isBetween(400, 499);
    assertThat(garbage.body()).doesNotContain("Exception", "at io.", "at com.");

    requests.click("U0APPROVER", SlackBlocks.APPROVE, "r-nosuch", CHANNEL);
    await().atMost(WAIT).until(() -> responses("U0APPROVER").size() == 1);
    assertThat(responses("U0APPROVER").get(0).form().get("json")).contains("r-nosuch");

    requests.command("U0ALICE", CHANNEL, "status-check app=web");
    RunRecord run = latestRun();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void refusesToStartWithoutCredentials() throws Exception {
    SlackSettings none = SlackSettings.from(java.util.Map.of(), bed.config());
    assertThatThrownBy(() -> new SlackServer(bed.engine(), none, outbox))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET");
    assertThatThrownBy(() -> new SocketModeRunner(bed.engine(), none, outbox))
        .hasMessageContaining("SLACK_BOT_TOKEN and SLACK_APP_TOKEN");
  }
}
