package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
}
