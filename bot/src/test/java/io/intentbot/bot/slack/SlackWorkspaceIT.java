package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.FakeSlack.Membership;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack adapter against a workspace that behaves like a real one (issue 15): private channels
 * the bot is not in, DMs, Slack's escaping of slash-command text, user text that looks like
 * mentions and links, Slack's limits, the modal keeping what the command said. Real signed HTTP
 * into bolt-jetty, a real engine on H2, the fake Web API answering as Slack does; every call it
 * received is checked against Slack's limits after each test.
 */
class SlackWorkspaceIT {

  static final String SECRET = SlackBed.SECRET;
  static final String CHANNEL = "C0OPS";
  static final Duration WAIT = Duration.ofSeconds(15);

  /** Slack escapes &, < and > in slash-command text: this is what it sends for the text below. */
  static final String EVIL_AS_SLACK_SENDS =
      "&lt;!channel&gt; &amp; &lt;https://evil.example|click to approve&gt;";

  static final String EVIL = "<!channel> & <https://evil.example|click to approve>";

  static final String ECHO =
      """
      name: echo-note
      description: Prints a note next to kubectl-like output
      risk: read-only
      parameters:
        note: { type: string, required: true }
      steps:
        - id: print
          type: shell
          with: { command: [echo, "NAME <none> ${{ params.note }}"] }
      """;

  static final String MANY =
      """
      name: many-notes
      description: Takes five long notes
      risk: read-only
      parameters:
        a: { type: string }
        b: { type: string }
        c: { type: string }
        d: { type: string }
        e: { type: string }
      steps:
        - id: keep
          type: set
          with: { a: "${{ params.a }}" }
      """;

  static final String LONG =
      """
      name: long-output
      description: Prints more lines than a thread shows
      risk: read-only
      parameters: {}
      steps:
        - id: print
          type: shell
          with: { command: [seq, "1", "75"] }
      """;

  /** Copies between two environments: gated by the source's approval, run in the target. */
  static final String COPY =
      """
      name: copy-data
      description: Copies an app's data from one environment into another
      risk: RISK
      parameters:
        env: { type: environment, required: true }
        from_env: { type: environment, required: true }
      steps:
        - id: copy
          type: set
          with: { from: "${{ params.from_env }}" }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  EngineFixture bed;
  OutboxStore outbox;
  SlackServer server;
  SignedRequests requests;
  String base;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack();
    SlackSettings settings = SlackBed.settings(slack);
    bed =
        TestIntents.engine(dir, SlackBot.groupDirectory(settings))
            .intent("echo-note", ECHO)
            .intent("many-notes", MANY)
            .intent("long-output", LONG)
            .intent(
                "restore-data",
                COPY.replace("copy-data", "restore-data").replace("RISK", "destructive"))
            .intent("copy-data", COPY.replace("RISK", "mutating"))
            .expiryInterval(settings.expiryInterval());
    bed.build();
    outbox = OutboxStore.open(bed.dbUrl(), null, null);
    server = new SlackServer(bed.engine(), settings, outbox);
    bed.started();
    base = "http://127.0.0.1:" + server.start(0);
    requests = new SignedRequests(base + SlackServer.EVENTS_PATH, SECRET, slack);
  }

  @AfterEach
  void stop() {
    server.stop();
    bed.close();
    outbox.close();
    List<String> overLimits = slack.limitProblems();
    slack.close();
    assertThat(overLimits).as("calls over Slack's limits").isEmpty();
  }

  private List<String> replies(String user) {
    return slack.calls("/response/" + user + "-").stream().map(c -> c.get("json")).toList();
  }

  private List<FakeSlack.Call> posts(String channel) {
    return slack.calls("/api/chat.postMessage").stream()
        .filter(c -> channel.equals(c.get("channel")))
        .toList();
  }

  private RunRecord latestRun() {
    await().atMost(WAIT).until(() -> !bed.engine().history(null, 1).isEmpty());
    return bed.engine().history(null, 1).get(0);
  }

  @Test
  void aPrivateChannelWithoutTheBotIsRefusedAtOnceAndNothingIsRecorded() throws Exception {
    slack.channel("C0SECRET", Membership.PRIVATE_WITHOUT_BOT);
    requests.command("U0ALICE", "C0SECRET", "deploy-app app=web env=production");
    await().atMost(WAIT).until(() -> !replies("U0ALICE").isEmpty());
    assertThat(replies("U0ALICE"))
        .singleElement()
        .asString()
        .contains("Invite @intentbot to this channel", "nothing was run");
    assertThat(bed.engine().history(null, 10)).isEmpty();
    assertThat(posts("C0SECRET")).isEmpty();
  }

  @Test
  void aDirectMessageIsRefusedWithWhereToGoInstead() throws Exception {
    requests.command("U0ALICE", "D0ALICEBOB", "deploy-app app=web env=sandbox");
    await().atMost(WAIT).until(() -> !replies("U0ALICE").isEmpty());
    assertThat(replies("U0ALICE"))
        .singleElement()
        .asString()
        .contains("DMs are not supported: use");
    assertThat(bed.engine().history(null, 10)).isEmpty();
    assertThat(slack.calls("/api/conversations.info")).as("a D channel needs no look-up").isEmpty();
  }

  @Test
  void aMissingScopeIsToldToTheRequesterAndOnHealthz() throws Exception {
    slack.channel("C0NOSCOPE", Membership.MISSING_SCOPE);
    requests.command("U0ALICE", "C0NOSCOPE", "deploy-app app=web env=sandbox");
    await().atMost(WAIT).until(() -> !replies("U0ALICE").isEmpty());
    assertThat(replies("U0ALICE"))
        .singleElement()
        .asString()
        .contains("missing_scope", "groups:read", "nothing was run");
    assertThat(bed.engine().history(null, 10)).isEmpty();
    assertThat(requests.get(base + "/healthz").body())
        .startsWith("{\"status\":\"degraded\",\"slack\":\"ok\"")
        .contains("\"slack_problems\":[\"conversations.info: missing_scope", "groups:read");
  }

  @Test
  void theChannelCheckIsCachedForMembers() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=sandbox");
    RunRecord first = latestRun();
    bed.engine().awaitFinished(first.id(), WAIT);
    requests.command("U0ALICE", CHANNEL, "status-check app=web");
    await().atMost(WAIT).until(() -> bed.engine().history(null, 10).size() == 2);
    assertThat(slack.calls("/api/conversations.info")).hasSize(1);
  }

  @Test
  void aTopMessageRefusedLaterGoesToRequesterAndApproversByDmAndNothingTopLevel() throws Exception {
    // the bot was a member when the channel was checked, and is removed before the card is posted
    requests.command("U0ALICE", "C0GONE", "status-check app=web");
    RunRecord check = latestRun();
    bed.engine().awaitFinished(check.id(), WAIT);
    slack.channel("C0GONE", Membership.PRIVATE_WITHOUT_BOT);

    requests.command("U0ALICE", "C0GONE", "deploy-app app=web env=production");
    await().atMost(WAIT).until(() -> bed.engine().history(null, 10).size() == 2);
    RunRecord run = bed.engine().history(null, 1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    await().atMost(WAIT).until(() -> !posts("U0APPROVER").isEmpty() && !posts("U0ALICE").isEmpty());
    assertThat(posts("U0ALICE").get(0).get("text"))
        .contains(run.id(), "channel_not_found", "Invite @intentbot", "approvers were sent");
    for (String approver : List.of("U0APPROVER", "U0OTHER", "U0GROUP")) {
      await().atMost(WAIT).until(() -> !posts(approver).isEmpty());
      assertThat(posts(approver).get(0).get("blocks"))
          .contains(SlackBlocks.APPROVE, SlackBlocks.REJECT, run.id());
    }
    assertThat(posts("U0ALICE")).hasSize(1);

    requests.click("U0APPROVER", SlackBlocks.APPROVE, run.id(), "D0APPROVER");
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    // the refused post, once; no retries, no lines or updates top-level in the channel
    long tries =
        posts("C0GONE").stream()
            .filter(c -> String.valueOf(c.get("blocks")).contains(run.id()))
            .count();
    assertThat(tries).isEqualTo(1);
    assertThat(posts("C0GONE").stream().filter(c -> c.get("thread_ts") == null))
        .allMatch(
            c -> !String.valueOf(c.get("text")).contains(run.id()) || c.get("blocks") != null);
    assertThat(slack.calls("/api/chat.update"))
        .noneMatch(c -> String.valueOf(c.get("blocks")).contains(run.id()));
  }

  @Test
  void slackEscapedTextIsUnescapedOnceAndEverythingSentIsEscaped() throws Exception {
    requests.command("U0ALICE", CHANNEL, "echo-note note=\"" + EVIL_AS_SLACK_SENDS + "\"");
    RunRecord run = latestRun();
    assertThat(run.parameters()).containsEntry("note", EVIL);
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(WAIT)
        .until(
            () ->
                posts(CHANNEL).stream()
                    .anyMatch(c -> c.get("thread_ts") != null && c.get("text").contains("NAME")));
    for (FakeSlack.Call c : slack.calls("/api/chat.")) {
      String sent = c.get("text") + " " + c.get("blocks");
      assertThat(sent).doesNotContain("<!channel>", "<https://evil");
    }
    String thread =
        String.join(
            "\n",
            posts(CHANNEL).stream()
                .filter(c -> c.get("thread_ts") != null)
                .map(c -> c.get("text"))
                .toList());
    String line = "\nNAME &lt;none&gt; &lt;!channel&gt; &amp; &lt;https://evil.example|click";
    assertThat(thread).contains(line);
    String before = thread.substring(0, thread.indexOf(line));
    assertThat(before.split("```", -1).length % 2).as("the output is inside a code block").isZero();
    assertThat(posts(CHANNEL).get(0).get("blocks"))
        .contains("note=&lt;!channel&gt; &amp; &lt;https://evil.example|click to approve&gt;");
  }

  @Test
  void breakGlassAndTheResponseUrlAreKeptThroughTheParameterModal() throws Exception {
    requests.command("U0OTHER", CHANNEL, "deploy-app app=web --break-glass \"site is down\"");
    await().atMost(WAIT).until(() -> slack.calls("/api/views.open").size() == 1);
    String view = slack.calls("/api/views.open").get(0).get("view");
    String metadata =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .build()
            .readTree(view)
            .path("private_metadata")
            .asText();
    assertThat(ParameterModal.metadata(metadata).breakGlass()).isEqualTo("site is down");
    HttpResponse<String> submit =
        requests.submitView(
            "U0OTHER",
            metadata,
            "{\"p_app\":{\"value\":{\"type\":\"static_select\",\"selected_option\":{\"value\":\"web\"}}},"
                + "\"p_env\":{\"value\":{\"type\":\"static_select\",\"selected_option\":"
                + "{\"text\":{\"type\":\"plain_text\",\"text\":\"production\"},\"value\":\"production\"}}}}");
    assertThat(submit.statusCode()).isEqualTo(200);
    RunRecord run = latestRun();
    assertThat(run.origin()).containsEntry("break_glass", "site is down");
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(WAIT)
        .until(() -> replies("U0OTHER").stream().anyMatch(r -> r.contains("Started run")));
    assertThat(slack.calls("/api/chat.postEphemeral")).isEmpty();
  }

  @Test
  void aSubmitForARemovedIntentShowsAnErrorOnTheForm() throws Exception {
    HttpResponse<String> submit =
        requests.submitView(
            "U0ALICE",
            ParameterModal.metadataJson(new ParameterModal.Metadata("gone-intent", CHANNEL, false)),
            "{\"p_app\":{\"value\":{\"type\":\"plain_text_input\",\"value\":\"web\"}}}");
    assertThat(submit.body())
        .contains("\"response_action\":\"errors\"", "\"p_app\"", "gone-intent no longer exists");
  }

  @Test
  void sslCheckIsAnswered200() throws Exception {
    HttpResponse<String> check =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + SlackServer.EVENTS_PATH))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("ssl_check=1&token=legacy"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(check.statusCode()).isEqualTo(200);
  }

  @Test
  void longTextStaysWithinSlacksLimitsAndTheCardEndsWithoutButtons() throws Exception {
    String note = "x&y<z> ".repeat(140).strip();
    String quoted = "\"" + SlackText.escape(note) + "\"";
    requests.command(
        "U0ALICE",
        CHANNEL,
        "many-notes a="
            + quoted
            + " b="
            + quoted
            + " c="
            + quoted
            + " d="
            + quoted
            + " e="
            + quoted);
    await()
        .atMost(WAIT)
        .until(() -> !bed.engine().history(null, 1).isEmpty() || !replies("U0ALICE").isEmpty());
    assertThat(bed.engine().history(null, 1)).as("%s", replies("U0ALICE")).isNotEmpty();
    RunRecord run = latestRun();
    assertThat(run.parameters().get("e")).isEqualTo(note);
    bed.engine().awaitFinished(run.id(), WAIT);
    // the card shows the end (its first post already, when the run ended within one pass)
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.").stream()
                    .anyMatch(
                        c ->
                            c.get("thread_ts") == null
                                && String.valueOf(c.get("blocks")).contains("succeeded")));
    assertThat(slack.calls("/api/chat.")).allMatch(c -> !c.responseBody().contains("\"ok\":false"));
    assertThat(posts(CHANNEL).get(0).get("blocks")).contains(SlackLimits.MARKER);
  }

  @Test
  void outputLongerThanTheThreadShowsIsUploadedAsAFileIntoTheThread() throws Exception {
    requests.command("U0ALICE", CHANNEL, "long-output");
    RunRecord run = latestRun();
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(WAIT).until(() -> !slack.calls("/api/files.completeUploadExternal").isEmpty());
    FakeSlack.Call url = slack.calls("/api/files.getUploadURLExternal").get(0);
    assertThat(url.get("filename")).isEqualTo(run.id() + "-print.txt");
    String content =
        slack.server.getAllServeEvents().stream()
            .filter(e -> e.getRequest().getUrl().startsWith("/upload/"))
            .findFirst()
            .orElseThrow()
            .getRequest()
            .getBodyAsString();
    assertThat(content.lines().toList()).hasSize(76).startsWith("$ seq 1 75", "1").endsWith("75");
    assertThat(url.get("length")).isEqualTo(String.valueOf(content.getBytes().length));
    FakeSlack.Call complete = slack.calls("/api/files.completeUploadExternal").get(0);
    String head = posts(CHANNEL).get(0).responseBody();
    String ts = head.substring(head.indexOf("\"ts\":\"") + 6, head.lastIndexOf('"'));
    assertThat(complete.get("channel_id")).isEqualTo(CHANNEL);
    assertThat(complete.get("thread_ts")).isEqualTo(ts);
    assertThat(complete.get("files"))
        .contains(url.responseBody().replaceAll(".*\"file_id\":\"([^\"]+)\".*", "$1"));
    String thread =
        String.join(
            "\n",
            posts(CHANNEL).stream()
                .filter(c -> ts.equals(c.get("thread_ts")))
                .map(c -> c.get("text"))
                .toList());
    assertThat(thread).contains("36 more lines: the whole output is in the file below");
    assertThat(thread).doesNotContain("intentbot show");
  }

  @Test
  void aLostAnswerToTheTopPostMakesNoSecondCard() throws Exception {
    slack.loseNextPostAnswer();
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    await().atMost(WAIT).until(() -> !slack.calls("/api/conversations.history").isEmpty());
    requests.click("U0APPROVER", SlackBlocks.APPROVE, run.id(), CHANNEL);
    assertThat(bed.engine().awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .anyMatch(c -> c.get("blocks").contains("succeeded")));
    List<FakeSlack.Call> cards =
        posts(CHANNEL).stream()
            .filter(
                c ->
                    c.get("thread_ts") == null
                        && String.valueOf(c.get("blocks")).contains(run.id()))
            .toList();
    assertThat(cards).as("one card (its answer lost), then only updates of it").hasSize(1);
    String ts = slack.okCalls("/api/chat.update").get(0).get("ts");
    assertThat(slack.okCalls("/api/chat.update")).allMatch(c -> ts.equals(c.get("ts")));
    assertThat(posts(CHANNEL).stream().filter(c -> c.get("thread_ts") != null))
        .isNotEmpty()
        .allMatch(c -> ts.equals(c.get("thread_ts")));
  }

  @Test
  void protectedApprovalButtonsAskToConfirm() throws Exception {
    requests.command("U0ALICE", CHANNEL, "deploy-app app=web env=production");
    RunRecord run = latestRun();
    await().atMost(WAIT).until(() -> !posts(CHANNEL).isEmpty());
    String blocks = posts(CHANNEL).get(0).get("blocks");
    assertThat(blocks).contains("\"confirm\"", "Approve run " + run.id() + "?");
  }

  /** The blocks of the card of the latest run, once posted. */
  private String cardOfLatestRun() {
    RunRecord run = latestRun();
    await()
        .atMost(WAIT)
        .until(() -> posts(CHANNEL).stream().anyMatch(c -> c.get("blocks").contains(run.id())));
    return posts(CHANNEL).stream()
        .map(c -> c.get("blocks"))
        .filter(b -> b.contains(run.id()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDestructiveIntentsButtonsAskToConfirmWhateverEnvironmentItRunsIn() throws Exception {
    requests.command("U0ALICE", CHANNEL, "restore-data env=sandbox from_env=production");
    String blocks = cardOfLatestRun();
    assertThat(blocks).contains("intent_approve", "intent_reject");
    String id = latestRun().id();
    assertThat(blocks)
        .as("both buttons ask")
        .contains("Approve run " + id + "?", "Reject run " + id + "?");
  }

  @Test
  void buttonsGatedByAProtectedEnvironmentTheRunTouchesAskToConfirm() throws Exception {
    requests.command("U0ALICE", CHANNEL, "copy-data env=sandbox from_env=production");
    RunRecord run = latestRun();
    assertThat(run.environment()).isEqualTo("sandbox");
    assertThat(run.approvalEnvironment()).isEqualTo("production");
    String blocks = cardOfLatestRun();
    assertThat(blocks).contains("intent_approve", "intent_reject", "\"confirm\"");
  }

  @Test
  void anUnprotectedRunHasNoButtonsToConfirm() throws Exception {
    requests.command("U0ALICE", CHANNEL, "copy-data env=sandbox from_env=sandbox");
    String blocks = cardOfLatestRun();
    assertThat(blocks).doesNotContain("intent_approve", "\"confirm\"");
  }

  @Test
  void aRetryAfterOnViewsOpenIsHonouredAndTheRequesterToldWhatToDo() throws Exception {
    slack.server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/views.open"))
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "600")));
    requests.command("U0OTHER", CHANNEL, "deploy-app app=web");
    await().atMost(WAIT).until(() -> replies("U0OTHER").size() == 1);
    assertThat(replies("U0OTHER").get(0)).contains("The form could not open (Slack: HTTP 429)");

    requests.command("U0OTHER", CHANNEL, "deploy-app app=api");
    await().atMost(WAIT).until(() -> replies("U0OTHER").size() == 2);
    assertThat(replies("U0OTHER").get(1)).contains("Slack asked intentbot to slow down");
    assertThat(slack.calls("/api/views.open")).as("none within Retry-After").hasSize(1);
  }
}
