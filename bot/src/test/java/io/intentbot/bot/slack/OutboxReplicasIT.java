package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.methods.MethodsClient;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.MutableClock;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two {@code serve} processes' posters on one PostgreSQL, both draining (as around a hand-over of
 * the outbox lease): a message is sent by one of them, never by both.
 */
class OutboxReplicasIT {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void whileOnePosterIsInItsSlackCallTheOtherDoesNotSendTheSameMessages() throws Exception {
    String url = postgres.jdbcUrl();
    MutableClock clock = new MutableClock(T0);
    StubSlackMethods slackA = new StubSlackMethods();
    StubSlackMethods slackB = new StubSlackMethods();
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    MethodsClient stubA = slackA.client();
    MethodsClient slowA =
        (MethodsClient)
            Proxy.newProxyInstance(
                MethodsClient.class.getClassLoader(),
                new Class<?>[] {MethodsClient.class},
                (proxy, method, args) -> {
                  inCall.countDown();
                  answer.await(30, TimeUnit.SECONDS);
                  try {
                    return method.invoke(stubA, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    try (OutboxStore outboxA = OutboxStore.open(url, "postgres", null, clock);
        OutboxStore outboxB = OutboxStore.open(url, "postgres", null, clock);
        SlackPoster a = poster(outboxA, slowA, clock);
        SlackPoster b = poster(outboxB, slackB.client(), clock)) {
      outboxA.add("r-1", "C1", OutboxStore.Kind.NOTICE, "break glass: r-1", null);
      outboxA.add("r-2", "C2", OutboxStore.Kind.NOTICE, "break glass: r-2", null);

      CompletableFuture<Integer> callsA = CompletableFuture.supplyAsync(a::drainOnce);
      assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();
      int callsB = b.drainOnce();
      answer.countDown();

      assertThat(callsA.get(30, TimeUnit.SECONDS) + callsB).isEqualTo(2);
      assertThat(outboxA.pending(10)).isEmpty();
      clock.advance(Duration.ofMinutes(5));
      assertThat(a.drainOnce() + b.drainOnce()).isZero();
      assertThat(slackA.calls.size() + slackB.calls.size())
          .as("each message sent once")
          .isEqualTo(2);
      assertThat(slackB.calls)
          .as("B sent only what A was not sending")
          .extracting(StubSlackMethods.Call::channel)
          .doesNotContainAnyElementsOf(
              slackA.calls.stream().map(StubSlackMethods.Call::channel).toList());
    }
  }

  private static SlackPoster poster(OutboxStore outbox, MethodsClient slack, MutableClock clock) {
    return new SlackPoster(
        outbox,
        slack,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        new SlackMetrics(),
        () -> true,
        clock);
  }
}
