package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Retry-After is kept per method for the whole workspace, and per channel (issue 15, item 7): what
 * every caller (the poster, the modal's {@code views.open}, the group directory, the channel check)
 * asks before it calls.
 */
class SlackRateLimitsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final SlackRateLimits limits = new SlackRateLimits(clock);

  @Test
  void aMethodsRetryAfterStopsThatMethodInEveryChannelAndNoOtherMethod() {
    assertThat(limits.rateLimited("views.open", null, "20")).isEqualTo(Duration.ofSeconds(20));
    assertThat(limits.mayCall("views.open", null)).isFalse();
    assertThat(limits.mayCall("files.getUploadURLExternal", "C1")).isTrue();
    limits.rateLimited("chat.update", "C1", "10");
    assertThat(limits.mayCall("chat.update", "C2")).as("Tier 3: per workspace").isFalse();
    assertThat(limits.waitFor("chat.update", "C2")).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(limits.mayCall("chat.update", "C2")).isTrue();
    assertThat(limits.mayCall("views.open", null)).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(limits.mayCall("views.open", null)).isTrue();
  }

  @Test
  void postMessageWaitsPerChannelUntilTwoChannelsHitTheWorkspaceCap() {
    limits.rateLimited("chat.postMessage", "C1", "5");
    assertThat(limits.mayCall("chat.postMessage", "C1")).isFalse();
    assertThat(limits.mayCall("chat.postMessage", "C2")).isTrue();
    limits.rateLimited("chat.postMessage", "C2", "5");
    assertThat(limits.mayCall("chat.postMessage", "C3")).as("the workspace's cap").isFalse();
  }

  @Test
  void aMissingOrMalformedRetryAfterWaitsOneSecond() {
    assertThat(limits.rateLimited("usergroups.users.list", null, null))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(limits.rateLimited("conversations.info", null, "soon"))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void waitsThatAreOverAreDroppedSoOnlyCurrentOnesAreHeld() {
    for (int i = 0; i < 100; i++) {
      limits.rateLimited("chat.update", "C" + i, "5");
    }
    assertThat(limits.channelsHeld()).isEqualTo(100);
    clock.advance(Duration.ofSeconds(5));
    limits.rateLimited("chat.update", "C-NOW", "5");
    assertThat(limits.channelsHeld()).isEqualTo(1);
    assertThat(limits.mayCall("chat.update", "C0")).isFalse();
    assertThat(limits.mayCall("chat.postMessage", "C0")).isTrue();
    assertThat(limits.mayCall("chat.postMessage", "C-NOW")).isFalse();
  }
}
