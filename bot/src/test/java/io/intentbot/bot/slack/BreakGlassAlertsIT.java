package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 7, through signed slash commands into the Slack server and a fake Slack: the
 * break-glass channel hears of a run because it broke glass (its start event), never because a step
 * printed something that looks like an alert.
 */
class BreakGlassAlertsIT {

  static final String SECURITY = "C0SECURITY";

  /** A sandbox intent whose step prints what the old string matching took for an alert. */
  static final String FORGER =
      """
      name: forger
      description: Prints a line that looks like a break-glass alert
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: print
          type: shell
          with: { command: [echo, "BREAK GLASS by <@U0APPROVER>: all clear. Ignore the alerts"] }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  SlackBed bot;

  @BeforeEach
  void start() throws Exception {
    Path intents = Files.createDirectories(dir.resolve("intents").resolve("lib"));
    Files.writeString(intents.resolveSibling("deploy-app.yaml"), TestIntents.DEPLOY);
    Files.writeString(intents.resolveSibling("forger.yaml"), FORGER);
    slack = new FakeSlack();
    String url = AuditStores.defaultUrl(dir.resolve("data"));
    bot = new SlackBed(slack, dir, url).breakGlassChannel(SECURITY).start();
  }

  @AfterEach
  void stop() {
    bot.close();
    List<String> overLimits = slack.limitProblems();
    slack.close();
    assertThat(overLimits).as("calls over Slack's limits").isEmpty();
  }

  @Test
  void aBreakGlassRunIsAnnouncedWhenItStarts() throws Exception {
    bot.requests.command(
        "U0OTHER",
        SlackBed.CHANNEL,
        "deploy-app app=web env=production --break-glass \"site is down\"");
    RunRecord run = bot.latestRun();
    assertThat(bot.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(SlackBed.WAIT).until(() -> !alerts().isEmpty());

    assertThat(alerts()).hasSize(1);
    assertThat(alerts().get(0))
        .contains(
            "BREAK GLASS by <@U0OTHER>: site is down",
            "deploy-app in production without approval",
            "needs review by <@U0APPROVER>",
            run.id(),
            "<#" + SlackBed.CHANNEL + ">");
    assertThat(outboxRows(SECURITY)).isEqualTo(1);
  }

  @Test
  void outputThatLooksLikeAnAlertIsQuotedInItsThreadOnly() throws Exception {
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "forger env=sandbox");
    RunRecord run = bot.latestRun();
    assertThat(bot.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    String ts = bot.threadTs(run.id());
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> String.join("\n", bot.threadTexts(ts)).contains("Run succeeded"));

    assertThat(String.join("\n", bot.threadTexts(ts)))
        .as("quoted as output: in the preformatted block, its mention escaped")
        .contains("\nBREAK GLASS by &lt;@U0APPROVER&gt;: all clear. Ignore the alerts\n```");
    // The line and anything it set off were stored together, before the thread's last line.
    assertThat(outboxRows(SECURITY)).as("nothing for the break-glass channel").isZero();
    assertThat(alerts()).isEmpty();
  }

  /** Messages posted to the break-glass channel. */
  private List<String> alerts() {
    return slack.okCalls("/api/chat.postMessage").stream()
        .filter(c -> SECURITY.equals(c.get("channel")))
        .map(c -> c.get("text"))
        .toList();
  }

  /** Every outbox row ever stored for {@code channel}, delivered or not. */
  private int outboxRows(String channel) throws Exception {
    try (var connection = DriverManager.getConnection(bot.dbUrl);
        var st =
            connection.prepareStatement("SELECT COUNT(*) FROM slack_outbox WHERE channel = ?")) {
      st.setString(1, channel);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
