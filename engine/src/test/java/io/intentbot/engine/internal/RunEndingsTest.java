package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Waiting for a run that executes here reads the store only to begin and end: a waiter must not
 * keep the audit database busy (its pool would never notice broken connections), nor sleep.
 */
class RunEndingsTest {

  final AtomicReference<RunRecord> stored =
      new AtomicReference<>(Runs.record("r-local01", RunStatus.RUNNING));
  final AtomicInteger reads = new AtomicInteger();
  final AuditStore store =
      (AuditStore)
          Proxy.newProxyInstance(
              AuditStore.class.getClassLoader(),
              new Class<?>[] {AuditStore.class},
              (proxy, method, args) -> {
                if (method.getName().equals("findRun")) {
                  reads.incrementAndGet();
                  return Optional.of(stored.get());
                }
                throw new UnsupportedOperationException(method.getName());
              });
  final ManualScheduler timer = new ManualScheduler();
  final RunEndings endings = new RunEndings(store, timer);

  @Test
  void aLocalRunsWaiterIsToldOfItsEndWithoutPolling() throws Exception {
    endings.runsHere(id -> true);
    CompletableFuture<Optional<RunRecord>> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return endings.await("r-local01", Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    org.awaitility.Awaitility.await().until(() -> reads.get() >= 2);

    RunRecord done = Runs.record("r-local01", RunStatus.SUCCEEDED);
    stored.set(done);
    endings.ended(done);

    assertThat(waiter.get().orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(reads.get()).as("before, once after registering, after").isEqualTo(3);
    assertThat(timer.delays()).as("no store checks scheduled").isEmpty();
  }

  @Test
  void aRunAlreadyEndedIsAnsweredAtOnce() throws Exception {
    stored.set(Runs.record("r-local01", RunStatus.FAILED));
    assertThat(endings.await("r-local01", Duration.ofSeconds(30)).orElseThrow().status())
        .isEqualTo(RunStatus.FAILED);
    assertThat(reads.get()).isEqualTo(1);
  }
}
