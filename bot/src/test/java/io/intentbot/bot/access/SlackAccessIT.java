package io.intentbot.bot.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's attacks through signed Slack requests into the running server: access rules refuse
 * with the rule and who is covered (and count in /metrics), {@code list} shows only what the user
 * may run, break glass is for those named, and an approval from the command line (another process
 * on the same database) takes the buttons off the Slack card, and the run's result, reached in that
 * process, ends the Slack thread.
 */
class SlackAccessIT {

  static final String SECRET = SlackBed.SECRET;
  static final String OPS = "C0OPS";
  static final Duration WAIT = Duration.ofSeconds(15);

  static final String CONFIG =
      TestIntents.CONFIG.replace("expires_after: 30m }", "expires_after: 30m, from: [slack, cli] }")
          + """
          access:
            - intents: ["*"]
              environments: [sandbox]
              users: ["*"]
            - risk: [read-only]
              users: ["*"]
            - intents: [deploy-app]
              environments: [production]
              users: [U0DEPLOYER]
              channels: [C0OPS]
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
    bed = TestIntents.engine(dir, SlackBot.groupDirectory(settings)).config(CONFIG);
    bed.build();
    outbox = OutboxStore.open(bed.dbUrl(), null, null);
    server = new SlackServer(bed.engine(), settings, outbox);
    bed.started();
    int port = server.start(0);
    base = "http://127.0.0.1:" + port;
    requests = new SignedRequests(base + SlackServer.EVENTS_PATH, SECRET, slack);
  }

  @AfterEach
  void stop() {
    server.stop();
    bed.close();
    outbox.close();
    slack.close();
  }

  private String answerTo(String user) {
    await().atMost(WAIT).until(() -> !slack.calls("/response/" + user + "-").isEmpty());
    return slack.calls("/response/" + user + "-").get(0).form().get("json");
  }

  @Test
  void anOrdinaryMemberIsRefusedWithTheRuleAndNothingRuns() throws Exception {
    requests.command("U0MALLORY", OPS, "deploy-app app=web env=production");
    assertThat(answerTo("U0MALLORY"))
        .contains("Refused: deploy-app in production: only one of <@U0DEPLOYER>, from <#C0OPS>")
        .contains("(access[3])");
    requests.command("U0DEPLOYER", "C0RANDOM", "deploy-app app=web env=production");
    assertThat(answerTo("U0DEPLOYER")).contains("only one of <@U0DEPLOYER>, from <#C0OPS>");
    assertThat(bed.engine().history(null, 10)).isEmpty();
    assertThat(bed.engine().refusedAttempts(10)).hasSize(2);
    String metrics = requests.get(base + "/metrics").body();
    assertThat(metrics).contains("intentbot_refused_total{action=\"run\",rule=\"access[3]\"} 2.0");
  }

  @Test
  void listShowsOnlyWhatTheUserMayRunAndSaysSo() throws Exception {
    requests.command("U0MALLORY", "C0RANDOM", "list");
    assertThat(answerTo("U0MALLORY"))
        .contains("Intents you may run")
        .contains("`status-check`")
        .contains("Only the intents you may run from here are listed");
    requests.command("U0MALLORY", OPS, "describe deploy-app");
    await().atMost(WAIT).until(() -> slack.calls("/response/U0MALLORY-").size() == 2);
    assertThat(slack.calls("/response/U0MALLORY-").get(1).form().get("json"))
        .contains("You may run it in: sandbox.");
  }

  @Test
  void breakGlassIsRefusedToThoseTheEnvironmentDoesNotName() throws Exception {
    requests.command(
        "U0DEPLOYER", OPS, "deploy-app app=web env=production --break-glass \"cleanup\"");
    assertThat(answerTo("U0DEPLOYER"))
        .contains("only one of <@U0APPROVER>, <@U0OTHER> or a member of <!subteam^S0SRE>")
        .contains("may break glass in production");
    assertThat(bed.engine().history(null, 10)).isEmpty();
  }

  @Test
  void anApprovalFromTheCommandLineTakesTheButtonsOffTheCardAndTheResultEndsTheThread()
      throws Exception {
    requests.command("U0DEPLOYER", OPS, "deploy-app app=web env=production");
    await().atMost(WAIT).until(() -> !bed.engine().history(null, 1).isEmpty());
    RunRecord run = bed.engine().history(null, 1).get(0);
    assertThat(run.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.postMessage").stream()
                    .anyMatch(c -> String.valueOf(c.get("blocks")).contains("intent_approve")));

    Engine terminal = bed.start();
    assertThat(
            terminal
                .approve(run.id(), new Actor("U0APPROVER", "cli", null, "approver", "laptop"))
                .accepted())
        .isTrue();
    assertThat(terminal.awaitFinished(run.id(), WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    String ts = threadTs(run.id());
    await()
        .atMost(WAIT)
        .until(() -> threadLines(ts).stream().anyMatch(t -> t.startsWith("Run succeeded in ")));
    assertThat(threadLines(ts)).anyMatch(t -> t.contains("from the command line"));
    // heads of one run are coalesced: the result may be the only update the card gets
    await()
        .atMost(WAIT)
        .until(
            () ->
                slack.okCalls("/api/chat.update").stream()
                    .filter(c -> ts.equals(c.get("ts")))
                    .reduce((older, newer) -> newer)
                    .map(c -> String.valueOf(c.get("blocks")))
                    .map(
                        blocks ->
                            !blocks.contains("intent_approve")
                                && blocks.contains("succeeded in ")
                                && blocks.contains("U0APPROVER"))
                    .orElse(false));
    assertThat(threadLines(ts))
        .as("the thread ends with the result the terminal's run came to, told once")
        .last()
        .asString()
        .startsWith("Run succeeded in ");
    assertThat(threadLines(ts)).filteredOn(t -> t.startsWith("Run succeeded")).hasSize(1);
  }

  /** The ts of the run's top message, once Slack accepted it. */
  private String threadTs(String runId) {
    String body =
        slack.okCalls("/api/chat.postMessage").stream()
            .filter(
                c -> c.get("thread_ts") == null && String.valueOf(c.get("blocks")).contains(runId))
            .findFirst()
            .orElseThrow()
            .responseBody();
    int i = body.indexOf("\"ts\":\"") + 6;
    return body.substring(i, body.indexOf('"', i));
  }

  /** The lines Slack accepted into the thread (consecutive notes are posted together). */
  private List<String> threadLines(String ts) {
    return slack.okCalls("/api/chat.postMessage").stream()
        .filter(c -> ts.equals(c.get("thread_ts")))
        .flatMap(c -> c.get("text").lines())
        .toList();
  }
}
