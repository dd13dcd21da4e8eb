package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay keys in the audit database (H2 file): seen once per 10 minutes, across stores. */
class ReplayKeyStoreTest {

  @TempDir Path dir;

  @Test
  void aKeyIsNewOnceAcrossStoresAndAgainAfterTenMinutes() {
    String url = AuditStores.defaultUrl(dir.resolve("data"));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    try (ReplayKeyStore one = ReplayKeyStore.open(url, null, null, clock);
        ReplayKeyStore other = ReplayKeyStore.open(url, null, null, clock)) {
      assertThat(one.firstTime("signed:1700000000:v0=abc")).isTrue();
      assertThat(one.firstTime("signed:1700000000:v0=abc")).isFalse();
      assertThat(other.firstTime("signed:1700000000:v0=abc")).as("another replica").isFalse();
      assertThat(other.firstTime("command:trig-2")).isTrue();

      clock.advance(Duration.ofMinutes(9));
      assertThat(one.firstTime("command:trig-2")).isFalse();
      clock.advance(Duration.ofMinutes(2));
      assertThat(one.firstTime("command:trig-2")).as("kept 10 minutes").isTrue();
      assertThat(other.firstTime("command:trig-2")).isFalse();
    }
    try (ReplayKeyStore restarted = ReplayKeyStore.open(url, null, null, clock)) {
      assertThat(restarted.firstTime("command:trig-2"))
          .as("after a restart, within 10 minutes of the last sighting")
          .isFalse();
      assertThat(restarted.firstTime("signed:1700000000:v0=abc"))
          .as("last seen 11 minutes ago")
          .isTrue();
    }
  }

  @Test
  void aRequestIsNewOnlyWhenNoneOfItsKeysWasSeenAndAllOfThemAreRemembered() {
    String url = AuditStores.defaultUrl(dir.resolve("data"));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    try (ReplayKeyStore one = ReplayKeyStore.open(url, null, null, clock);
        ReplayKeyStore other = ReplayKeyStore.open(url, null, null, clock)) {
      assertThat(one.firstTime(List.of("command:t1", "signed:1:v0=a"))).isTrue();
      assertThat(one.firstTime(List.of("command:t2", "signed:1:v0=a")))
          .as("the same signed bytes under another trigger")
          .isFalse();
      assertThat(other.firstTime("command:t2"))
          .as("remembered though its request was a repeat")
          .isFalse();
      assertThat(one.firstTime(Arrays.asList(null, " "))).as("no keys at all").isTrue();
    }
  }
}
