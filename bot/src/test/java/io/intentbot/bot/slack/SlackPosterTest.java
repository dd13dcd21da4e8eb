package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poster's timing rules on a clock the test moves: nothing here waits for real time. */
class SlackPosterTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Duration INTERVAL = Duration.ofSeconds(1);

  @TempDir Path dir;
  MutableClock clock = new MutableClock(T0);
  StubSlackMethods slack = new StubSlackMethods();
  OutboxStore outbox;
  SlackPoster poster;

  @BeforeEach
  void open() {
    outbox = OutboxStore.open(AuditStores.defaultUrl(dir), null, null, clock);
    poster =
        new SlackPoster(
            outbox,
            slack.client(),
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
  }

  @Test
  void oneCallPerChannelPerIntervalAndLinesThatPileUpArePostedTogether() {
    outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "deploy-app: running", "[]");
    assertThat(poster.drainOnce()).isEqualTo(1);
    for (int i = 1; i <= 3; i++) {
      outbox.add("r-1", "C1", OutboxStore.Kind.OUTPUT, "line " + i, null);
    }
    assertThat(poster.drainOnce()).isZero();
    clock.advance(INTERVAL.minusMillis(1));
    assertThat(poster.drainOnce()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(poster.drainOnce()).isEqualTo(1);

    assertThat(slack.calls)
        .extracting(StubSlackMethods.Call::text)
        .containsExactly("deploy-app: running", "```\nline 1\nline 2\nline 3\n```");
    assertThat(outbox.pending(10)).isEmpty();
  }

  @Test
  void aRateLimitedChannelWaitsForRetryAfterWhileOthersGoOn() {
    slack.rateLimit(30);
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTICE, "break glass", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    outbox.add("r-2", "C2", OutboxStore.Kind.NOTICE, "elsewhere", null);
    clock.advance(Duration.ofSeconds(29));
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(outbox.pending(10))
        .extracting(OutboxStore.Message::body)
        .containsExactly("break glass");
    clock.advance(Duration.ofSeconds(1));
    assertThat(poster.drainOnce()).isEqualTo(1);

    assertThat(outbox.pending(10)).isEmpty();
    assertThat(slack.calls)
        .extracting(StubSlackMethods.Call::channel)
        .containsExactly("C1", "C2", "C1");
  }

  @Test
  void aChatUpdate429StopsChatUpdateInEveryChannelForRetryAfter() {
    outbox.saveThread("r-1", "C1", "1.1");
    outbox.saveThread("r-2", "C2", "2.2");
    slack.rateLimit(5);
    outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "r-1 running", "[]");
    assertThat(poster.drainOnce()).isEqualTo(1);
    outbox.add("r-2", "C2", OutboxStore.Kind.HEAD, "r-2 running", "[]");
    clock.advance(Duration.ofSeconds(4));
    assertThat(poster.drainOnce()).as("chat.update is limited per workspace").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(poster.drainOnce()).isEqualTo(2);
    assertThat(slack.calls)
        .extracting(StubSlackMethods.Call::method, StubSlackMethods.Call::channel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("chat.update", "C1"),
            org.assertj.core.groups.Tuple.tuple("chat.update", "C1"),
            org.assertj.core.groups.Tuple.tuple("chat.update", "C2"));
  }

  @Test
  void postMessage429sInTwoChannelsAreTheWorkspaceCap() {
    slack.rateLimit(10);
    slack.rateLimit(10);
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTICE, "one", null);
    outbox.add("r-2", "C2", OutboxStore.Kind.NOTICE, "two", null);
    assertThat(poster.drainOnce()).isEqualTo(2);
    outbox.add("r-3", "C3", OutboxStore.Kind.NOTICE, "three", null);
    clock.advance(Duration.ofSeconds(9));
    assertThat(poster.drainOnce()).as("every channel waits").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(poster.drainOnce()).isEqualTo(3);
    assertThat(outbox.pending(10)).isEmpty();
  }

  @Test
  void aTopMessageRefusedForGoodIsReportedAndNothingOfTheRunGoesTopLevel() {
    java.util.List<String> refused = new java.util.ArrayList<>();
    poster.close();
    poster =
        new SlackPoster(
            outbox,
            slack.client(),
            INTERVAL,
            Duration.ofSeconds(30),
            new SlackMetrics(),
            () -> true,
            clock,
            new SlackRateLimits(clock),
            new SlackHealth(),
            (head, error) -> refused.add(head.runId() + ":" + error));
    slack.refuse("channel_not_found");
    outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "waiting", "[]");
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTE, "Approved by someone", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(refused).containsExactly("r-1:channel_not_found");
    assertThat(outbox.thread("r-1")).get().satisfies(t -> assertThat(t.refused()).isTrue());
    clock.advance(Duration.ofMinutes(1));
    outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "running", "[]");
    outbox.add("r-1", "C1", OutboxStore.Kind.OUTPUT, "secret output", null);
    poster.drainOnce();
    clock.advance(Duration.ofMinutes(1));
    poster.drainOnce();
    assertThat(outbox.pending(10)).isEmpty();
    assertThat(slack.calls).as("one refused post, not retried, nothing after it").hasSize(1);
  }

  @Test
  void aLineWrittenBeforeANewerTopMessageIsNotKeptWaitingBehindIt() {
    outbox.saveThread("r-1", "C1", "1.1");
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTE, "Approved by U0APPROVER", null);
    outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "running", "[]");
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTE, "step 1 started", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.calls)
        .extracting(StubSlackMethods.Call::method, StubSlackMethods.Call::text)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "chat.postMessage", "Approved by U0APPROVER\nstep 1 started"),
            org.assertj.core.groups.Tuple.tuple("chat.update", "running"));
  }

  @Test
  void linesOfARunWithoutATopMessageAreNeverPostedTopLevel() {
    outbox.add("r-9", "C1", OutboxStore.Kind.OUTPUT, "orphan", null);
    assertThat(poster.drainOnce()).isZero();
    assertThat(slack.calls).isEmpty();
    assertThat(outbox.pending(10)).isEmpty();
  }

  @Test
  void serverErrorsBackOffDoublingAndNothingIsDropped() {
    slack.fail(500);
    slack.fail(503);
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTICE, "hello", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1999));
    assertThat(poster.drainOnce()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(outbox.pending(10))
        .singleElement()
        .satisfies(m -> assertThat(m.attempts()).isEqualTo(2));
    clock.advance(Duration.ofMillis(3999));
    assertThat(poster.drainOnce()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(poster.drainOnce()).isEqualTo(1);

    assertThat(outbox.pending(10)).isEmpty();
    assertThat(slack.calls).hasSize(3);
  }

  @Test
  void channelsAreForgottenOnceIdleAndTheirWaitIsOverWhileARunStillPostingKeepsItsThread() {
    outbox.add("r-keep", "C-KEEP", OutboxStore.Kind.HEAD, "deploy-app: running", "[]");
    for (int i = 0; i < 20; i++) {
      outbox.add("r-" + i, "C" + i, OutboxStore.Kind.HEAD, "run " + i + ": done", "[]");
    }
    assertThat(poster.drainOnce()).isEqualTo(21);
    String ts = outbox.thread("r-keep").orElseThrow().ts();
    assertThat(poster.channelsTracked()).as("each channel waits its interval").isEqualTo(21);

    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isZero();
    assertThat(poster.channelsTracked()).as("nothing to post and no wait: forgotten").isZero();

    outbox.add("r-keep", "C-KEEP", OutboxStore.Kind.OUTPUT, "step 2 of 2", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(slack.calls.get(slack.calls.size() - 1))
        .as("the run still posting goes on in its thread")
        .isEqualTo(
            new StubSlackMethods.Call("chat.postMessage", "C-KEEP", "```\nstep 2 of 2\n```", ts));
    assertThat(poster.channelsTracked()).isEqualTo(1);
  }

  @Test
  void anIdleChannelStillWaitingForRetryAfterIsKeptUntilTheWaitEnds() {
    slack.rateLimit(30);
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTICE, "one", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(outbox.pending(10)).isEmpty();
    outbox.add("r-2", "C1", OutboxStore.Kind.NOTICE, "two", null);
    slack.rateLimit(30);
    assertThat(poster.drainOnce()).isEqualTo(0);
    clock.advance(INTERVAL);
    assertThat(poster.drainOnce()).isEqualTo(1);
    assertThat(outbox.pending(10))
        .singleElement()
        .extracting(OutboxStore.Message::body)
        .isEqualTo("two");

    outbox.failed(List.of(outbox.pending(10).get(0).id()), "given up by the test", true);
    clock.advance(Duration.ofSeconds(29));
    poster.drainOnce();
    assertThat(poster.channelsTracked()).as("idle but still waiting").isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    poster.drainOnce();
    assertThat(poster.channelsTracked()).isZero();
  }

  @Test
  void deliveredMessagesAreDeletedAfterAWeek() {
    outbox.add("r-1", "C1", OutboxStore.Kind.NOTICE, "a week ago", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    clock.advance(SlackPoster.KEEP_DELIVERED.minus(SlackPoster.PURGE_EVERY));
    outbox.add("r-2", "C1", OutboxStore.Kind.NOTICE, "an hour before the week", null);
    assertThat(poster.drainOnce()).isEqualTo(1);
    clock.advance(SlackPoster.PURGE_EVERY.plusMillis(1));
    assertThat(poster.drainOnce()).isZero();

    assertThat(outbox.purgeDelivered(clock.instant().plus(Duration.ofDays(365))))
        .as("the poster deleted the first; the second is kept")
        .isEqualTo(1);
  }

  @Test
  void aCallThatThrowsReleasesItsClaimSoAnotherProcessMayTryAtOnce() {
    outbox.saveThread("r-1", "C1", "1.1");
    long file = outbox.add("r-1", "C1", OutboxStore.Kind.FILE, "output", "{}");
    org.assertj.core.api.Assertions.assertThatThrownBy(poster::drainOnce)
        .as("the stub knows no file upload")
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(outbox.claim(List.of(file), "another process", clock.instant().plusSeconds(1)))
        .isTrue();
    assertThat(outbox.pending(10))
        .singleElement()
        .satisfies(m -> assertThat(m.attempts()).isEqualTo(1));
  }
}
