package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 6, against the fake Slack on a clock the test moves (the order of calls is
 * asserted, never their timing): one busy channel never delays another, and in a channel an
 * approval card or a final result goes ahead of other runs' step output.
 */
class OutboxFairnessIT {

  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final String CARD =
      "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"card\"}}]";

  @TempDir Path dir;
  MutableClock clock = new MutableClock(Instant.parse("2026-12-02T02:00:00Z"));
  FakeSlack slack;
  OutboxStore outbox;
  SlackPoster poster;

  @BeforeEach
  void open() {
    slack = new FakeSlack();
    SlackSettings settings = SlackBed.settings(slack);
    outbox = OutboxStore.open(AuditStores.defaultUrl(dir), null, null, clock);
    poster =
        new SlackPoster(
            outbox,
            SlackBot.slack(settings).methods(settings.botToken()),
            INTERVAL,
            Duration.ofSeconds(30),
            new SlackMetrics(),
            () -> true,
            clock);
  }

  @AfterEach
  void close() {
    poster.close();
    outbox.close();
    List<String> overLimits = slack.limitProblems();
    slack.close();
    assertThat(overLimits).as("calls over Slack's limits").isEmpty();
  }

  /** {@code runs} sandbox runs with a thread in {@code channel}, {@code lines} lines each. */
  private void backlog(String channel, int runs, int lines) {
    for (int r = 1; r <= runs; r++) {
      String run = channel + "-run-" + r;
      outbox.saveThread(run, channel, "1600000000." + String.format("%06d", r));
      for (int l = 1; l <= lines; l++) {
        outbox.add(run, channel, OutboxStore.Kind.OUTPUT, run + " line " + l, null);
      }
    }
  }

  private void approvalCard(String run, String channel) {
    outbox.add(
        run,
        channel,
        OutboxStore.Kind.HEAD,
        OutboxStore.Priority.URGENT,
        run + " waiting for approval",
        CARD);
  }

  /** The channels of the chat.postMessage calls made since the last reset, in the order made. */
  private List<String> postedChannels() {
    return slack.okCalls("/api/chat.postMessage").stream()
        .sorted(Comparator.comparing(c -> ts(c.responseBody())))
        .map(c -> c.get("channel"))
        .toList();
  }

  private static String ts(String body) {
    int i = body.indexOf("\"ts\":\"") + 6;
    return body.substring(i, body.indexOf('"', i));
  }

  @Test
  void aCardInAnotherChannelIsPostedNextWhateverTheBacklogOfABusyOne() {
    backlog("C0BUSY", 300, 4);
    approvalCard("prod-1", "C0PROD");

    assertThat(poster.drainOnce()).as("one call in each channel").isEqualTo(2);
    assertThat(postedChannels()).containsExactly("C0PROD", "C0BUSY");
    FakeSlack.Call card =
        slack.okCalls("/api/chat.postMessage").stream()
            .filter(c -> "C0PROD".equals(c.get("channel")))
            .findFirst()
            .orElseThrow();
    assertThat(card.get("thread_ts")).as("the card heads its own thread").isNull();
    assertThat(card.get("text")).isEqualTo("prod-1 waiting for approval");
    assertThat(outbox.thread("prod-1")).isPresent();
  }

  @Test
  void inABusyChannelACardAndAFinalResultGoAheadOfOtherRunsOutput() {
    backlog("C0OPS", 50, 10);
    outbox.saveThread("late", "C0OPS", "1600000099.000001");
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.okCalls("/api/chat.postMessage"))
        .singleElement()
        .satisfies(c -> assertThat(c.get("text")).contains("C0OPS-run-1 line 1"));

    approvalCard("prod-1", "C0OPS");
    outbox.add(
        "late",
        "C0OPS",
        OutboxStore.Kind.HEAD,
        OutboxStore.Priority.URGENT,
        "late: succeeded in 3s",
        CARD);

    slack.resetRequests();
    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.okCalls("/api/chat.postMessage"))
        .as("the approval card, before 49 runs' output")
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.get("text")).isEqualTo("prod-1 waiting for approval");
              assertThat(c.get("thread_ts")).isNull();
            });

    slack.resetRequests();
    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.okCalls("/api/chat.update"))
        .as("the final result, before the output")
        .singleElement()
        .satisfies(c -> assertThat(c.get("text")).isEqualTo("late: succeeded in 3s"));
    assertThat(slack.okCalls("/api/chat.postMessage")).isEmpty();

    slack.resetRequests();
    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.okCalls("/api/chat.postMessage"))
        .as("then the output again, where it left off")
        .singleElement()
        .satisfies(c -> assertThat(c.get("text")).contains("C0OPS-run-2 line 1"));
  }

  private static io.intentbot.engine.model.RunRecord run(
      String id, io.intentbot.engine.model.RunStatus status) {
    return new io.intentbot.engine.model.RunRecord(
        id,
        "deploy-app",
        java.util.Map.of(),
        "U0ALICE",
        "production",
        "web",
        status,
        false,
        "hash",
        null,
        clockless(),
        null,
        null,
        java.util.Map.of(),
        null,
        java.util.Map.of("channel", "C0OPS", "source", "slack"));
  }

  private static Instant clockless() {
    return Instant.parse("2026-12-02T02:00:00Z");
  }

  private static io.intentbot.bot.chat.ThreadUpdate.Head head(
      io.intentbot.engine.model.RunRecord run, String state, boolean awaiting) {
    return new io.intentbot.bot.chat.ThreadUpdate.Head(
        run, new io.intentbot.bot.chat.RunHead(run, state, null, awaiting, null, List.of(), null));
  }

  @Test
  void theThreadSinkMarksApprovalCardsAndFinalResultsUrgentAndProgressNot() {
    backlog("C0OPS", 20, 5);
    SlackThreadSink sink = new SlackThreadSink(outbox, () -> {});
    outbox.saveThread("busy", "C0OPS", "1600000098.000001");
    sink.accept(
        head(run("busy", io.intentbot.engine.model.RunStatus.RUNNING), "running step 2", false));
    sink.accept(
        head(
            run("prod-1", io.intentbot.engine.model.RunStatus.WAITING_APPROVAL),
            "waiting for approval (0 of 1)",
            true));
    outbox.saveThread("done", "C0OPS", "1600000099.000001");
    sink.accept(
        head(run("done", io.intentbot.engine.model.RunStatus.SUCCEEDED), "succeeded in 3s", false));

    List<String> served = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      slack.resetRequests();
      assertThat(poster.drainOnce()).isEqualTo(1);
      served.add(
          slack.okCalls("/api/chat.").stream()
              .map(c -> c.path() + " " + c.get("text"))
              .findFirst()
              .orElseThrow());
      clock.advance(INTERVAL);
    }
    assertThat(served.get(0)).startsWith("/api/chat.postMessage").contains("waiting for approval");
    assertThat(served.get(1)).startsWith("/api/chat.update").contains("succeeded in 3s");
    assertThat(served.get(2))
        .as("a progress update waits its turn behind older output")
        .contains("C0OPS-run-1 line 1");
  }
}
