package io.intentbot.bot.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack's Web API goes down (connections reset) for a while, then comes back: every line of the
 * run's thread arrives once and in order, whether the bot stayed up or was restarted meanwhile (the
 * outbox is in the audit database).
 */
class SlackOutageIT {

  @TempDir Path dir;
  FakeSlack slack;
  SlackBed bot;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack();
    bot = new SlackBed(slack, dir, AuditStores.defaultUrl(dir.resolve("data"))).start();
  }

  @AfterEach
  void stop() {
    bot.close();
    slack.close();
  }

  private StubMapping slackGoesDown() {
    return slack.server.stubFor(
        post(urlPathMatching("/api/chat\\..*"))
            .atPriority(1)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
  }

  private static List<String> oneToThirty() {
    return IntStream.rangeClosed(1, 30).mapToObj(String::valueOf).toList();
  }

  @Test
  void linesWrittenWhileSlackIsDownArriveInOrderWhenItReturns() throws Exception {
    StubMapping down = slackGoesDown();
    assertThat(bot.requests.command("U0ALICE", SlackBed.CHANNEL, "chatty env=sandbox").statusCode())
        .isEqualTo(200);
    RunRecord run = bot.latestRun();
    assertThat(bot.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow().status())
        .as("a run never waits on Slack")
        .isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(SlackBed.WAIT).until(() -> slack.calls("/api/chat.postMessage").size() >= 3);
    Thread.sleep(500);
    assertThat(bot.accepted("/api/chat.postMessage")).isEmpty();

    slack.server.removeStub(down);
    String ts = bot.threadTs(run.id());
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> String.join("\n", bot.threadTexts(ts)).contains("Run succeeded"));
    assertThat(bot.numberLines(ts)).containsExactlyElementsOf(oneToThirty());
    assertThat(bot.headCalls(run.id())).hasSize(1);
    String thread = String.join("\n", bot.threadTexts(ts));
    assertThat(thread.indexOf("`print`")).isLessThan(thread.indexOf("Run succeeded"));
  }

  @Test
  void linesSurviveARestartOfTheBotWhileSlackIsDown() throws Exception {
    StubMapping down = slackGoesDown();
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "chatty env=sandbox");
    RunRecord run = bot.latestRun();
    assertThat(bot.bed.engine().awaitFinished(run.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await().atMost(SlackBed.WAIT).until(() -> slack.calls("/api/chat.postMessage").size() >= 2);
    bot.stop();

    bot.start();
    Thread.sleep(300);
    assertThat(bot.accepted("/api/chat.postMessage")).isEmpty();
    slack.server.removeStub(down);

    String ts = bot.threadTs(run.id());
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> String.join("\n", bot.threadTexts(ts)).contains("Run succeeded"));
    assertThat(bot.numberLines(ts)).containsExactlyElementsOf(oneToThirty());
    assertThat(bot.headCalls(run.id())).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        bot.headCalls(run.id()).get(0).get("blocks")
                            + bot.accepted("/api/chat.update").stream()
                                .filter(c -> ts.equals(c.get("ts")))
                                .map(c -> c.get("blocks"))
                                .toList())
                    .as("the top message ends up saying how the run ended")
                    .contains("succeeded"));
  }
}
