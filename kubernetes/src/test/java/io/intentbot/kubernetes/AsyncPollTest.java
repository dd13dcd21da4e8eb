package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.kubernetes.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncPollTest {

  private final VirtualTime time = new VirtualTime();
  private final AsyncPoll poll = new AsyncPoll(time, Runnable::run, time.clock(), Map.of());
  private final Polling polling = new Polling(Duration.ofSeconds(1), Duration.ofMillis(100));

  @Test
  void readsAtOnceThenEveryIntervalUntilADecision() {
    Instant start = time.now();
    List<Instant> reads = new ArrayList<>();
    AtomicInteger count = new AtomicInteger();

    CompletableFuture<String> done =
        poll.until(
            polling,
            () -> {
              reads.add(time.now());
              return count.incrementAndGet();
            },
            n -> n == 3 ? Optional.of("ready after " + n) : Optional.empty(),
            n -> "timed out");

    assertThat(time.run(done)).isEqualTo("ready after 3");
    assertThat(reads)
        .containsExactly(start, start.plusMillis(100), start.plusMillis(200))
        .as("no thread held: nothing runs between looks");
    assertThat(time.pending()).isZero();
  }

  @Test
  void decidesFromTheLastValueAtTheDeadline() {
    Instant start = time.now();
    AtomicInteger count = new AtomicInteger();

    CompletableFuture<String> done =
        poll.until(
            polling, count::incrementAndGet, n -> Optional.empty(), n -> "still " + n + " looks");

    assertThat(time.run(done)).isEqualTo("still 11 looks");
    assertThat(time.now()).isEqualTo(start.plusSeconds(1));
  }

  @Test
  void aFailingReadFailsTheWaitWithItsException() {
    CompletableFuture<String> done =
        poll.until(
            polling,
            () -> {
              throw new ClusterAccessException("could not read deployment shop/web: HTTP 403");
            },
            n -> Optional.empty(),
            n -> "timed out");

    assertThat(done).isCompletedExceptionally();
    assertThatThrownBy(done::join)
        .extracting(AsyncPoll::cause)
        .isInstanceOf(ClusterAccessException.class)
        .extracting(Throwable::getMessage)
        .isEqualTo("could not read deployment shop/web: HTTP 403");
  }

  @Test
  void cancelDropsTheNextLookAndStartsNothingMore() {
    AtomicInteger reads = new AtomicInteger();
    CompletableFuture<String> done =
        poll.until(polling, reads::incrementAndGet, n -> Optional.empty(), n -> "timed out");
    time.advance(Duration.ofMillis(250));

    poll.cancel();
    time.advance(Duration.ofSeconds(5));

    assertThat(reads).hasValue(3);
    assertThat(done).isCancelled();
    assertThat(time.pending()).isZero();
    assertThat(poll.call(() -> "more")).isCancelled();
  }

  @Test
  void cleanupRunsWhenTheWorkIsCancelled() {
    List<String> cleaned = new ArrayList<>();
    CompletableFuture<String> waiting =
        poll.until(polling, () -> 1, n -> Optional.empty(), n -> "timed out");
    CompletableFuture<String> done =
        poll.ensure(waiting.thenApply(s -> s + "!"), () -> cleaned.add("deleted"));

    poll.cancel();

    assertThat(cleaned).containsExactly("deleted");
    assertThat(done).isCompletedExceptionally();
  }

  @Test
  void blockingReadsRunOnTheCallThreadsAndCancelInterruptsThem() throws Exception {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "engine-timer"));
    ExecutorService callThreads = Executors.newCachedThreadPool(r -> new Thread(r, "call"));
    try {
      AsyncPoll real =
          new AsyncPoll(
              scheduler, callThreads, time.clock(), Map.of("run_id", "r-1", "step_id", "s"));
      List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch blocked = new CountDownLatch(1);
      CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
      AtomicInteger reads = new AtomicInteger();

      CompletableFuture<String> done =
          real.until(
              new Polling(Duration.ofMinutes(1), Duration.ofMillis(1)),
              () -> {
                threads.add(Thread.currentThread().getName() + " " + org.slf4j.MDC.get("run_id"));
                if (reads.incrementAndGet() == 3) {
                  blocked.countDown();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    interrupted.complete(true);
                    throw e;
                  }
                }
                return reads.get();
              },
              n -> Optional.empty(),
              n -> "timed out");
      assertThat(blocked.await(5, TimeUnit.SECONDS)).isTrue();
      real.cancel();

      assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(done).isCancelled();
      assertThat(threads).hasSize(3).allMatch(name -> name.equals("call r-1"));
    } finally {
      scheduler.shutdownNow();
      callThreads.shutdownNow();
    }
  }
}
