package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxStoreTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void keepsMessagesUntilDeliveredAcrossReopenAndSharesTheAuditDatabase() {
    String url = AuditStores.defaultUrl(dir);
    try (AuditStore audit = AuditStores.open(url, null, null)) {
      long head;
      long line;
      try (OutboxStore outbox = OutboxStore.open(url, null, null, CLOCK)) {
        head = outbox.add("r-1", "C1", OutboxStore.Kind.HEAD, "head", "[]");
        line = outbox.add("r-1", "C1", OutboxStore.Kind.OUTPUT, "line 1", null);
        outbox.delivered(List.of(head));
        outbox.saveThread("r-1", "C1", "123.456");
      }
      try (OutboxStore outbox = OutboxStore.open(url, null, null, CLOCK)) {
        assertThat(outbox.pending(10))
            .singleElement()
            .satisfies(
                m -> {
                  assertThat(m.id()).isEqualTo(line);
                  assertThat(m.kind()).isEqualTo(OutboxStore.Kind.OUTPUT);
                  assertThat(m.body()).isEqualTo("line 1");
                });
        assertThat(outbox.thread("r-1"))
            .hasValue(new OutboxStore.ThreadRef("r-1", "C1", "123.456"));
        outbox.failed(List.of(line), "HTTP 500", false);
        assertThat(outbox.pending(10).get(0).attempts()).isEqualTo(1);
        outbox.failed(List.of(line), "channel_not_found", true);
        assertThat(outbox.pending(10)).isEmpty();
        assertThat(outbox.purgeDelivered(T0.minusSeconds(3600))).isZero();
        assertThat(outbox.purgeDelivered(T0.plusSeconds(1))).isEqualTo(2);
      }
      assertThat(audit.recentRuns(null, 1)).isEmpty();
    }
  }

  @Test
  void aChannelsNextMessagesAreReadThroughIndexesNotByScanningEveryPendingMessage()
      throws Exception {
    String url = AuditStores.defaultUrl(dir);
    try (OutboxStore outbox = OutboxStore.open(url, null, null, CLOCK);
        Connection c = DriverManager.getConnection(url)) {
      for (int i = 0; i < 50; i++) {
        outbox.add("r-" + i, "C" + i % 5, OutboxStore.Kind.OUTPUT, "line " + i, null);
      }
      assertThat(plan(c, OutboxStore.NEXT_IN_CHANNEL, "C1"))
          .contains("SLACK_OUTBOX_CHANNEL_PENDING: DELIVERED_AT IS NULL")
          .contains("AND CHANNEL = ?1");
      assertThat(plan(c, OutboxStore.NEXT_OF_RUN, "C1", "r-1", "NOTICE"))
          .contains("SLACK_OUTBOX_RUN_PENDING: RUN_ID = ?2")
          .contains("AND DELIVERED_AT IS NULL");
    }
  }

  private static String plan(Connection c, String sql, String... args) throws Exception {
    try (PreparedStatement st = c.prepareStatement("EXPLAIN " + sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setString(i + 1, args[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void aClaimIsAllOrNoneOneHolderAtATimeAndLapsesOrIsReleasedByAFailure() {
    String url = AuditStores.defaultUrl(dir);
    io.intentbot.engine.testing.MutableClock clock =
        new io.intentbot.engine.testing.MutableClock(T0);
    try (OutboxStore one = OutboxStore.open(url, null, null, clock);
        OutboxStore two = OutboxStore.open(url, null, null, clock)) {
      long a = one.add("r-1", "C1", OutboxStore.Kind.OUTPUT, "a", null);
      long b = one.add("r-1", "C1", OutboxStore.Kind.OUTPUT, "b", null);
      Instant until = T0.plusSeconds(120);
      assertThat(one.claim(List.of(a), "p1", until)).isTrue();
      assertThat(two.claim(List.of(a, b), "p2", until)).as("a is p1's").isFalse();
      assertThat(two.claim(List.of(b), "p2", until)).as("none was taken: b is free").isTrue();
      assertThat(one.claim(List.of(a), "p1", until)).as("a holder's own claim").isTrue();

      one.failed(List.of(a), "HTTP 500", false);
      assertThat(two.claim(List.of(a), "p2", until)).as("released by the failure").isTrue();
      clock.advance(java.time.Duration.ofSeconds(120));
      assertThat(one.claim(List.of(a, b), "p1", until.plusSeconds(120))).as("lapsed").isTrue();
      one.delivered(List.of(a));
      clock.advance(java.time.Duration.ofSeconds(120));
      assertThat(two.claim(List.of(a), "p2", until.plusSeconds(240))).as("delivered").isFalse();
    }
  }
}
