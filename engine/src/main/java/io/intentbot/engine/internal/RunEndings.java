package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.RunRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Futures of runs reaching a terminal status. A run that ends in this process completes its future
 * when it has ended and released its lock; a run elsewhere (another replica, a dead process) is
 * checked in the audit store on the timer while somebody waits for it. Nobody sleeps.
 */
final class RunEndings {

  private static final Duration STORE_CHECK = Duration.ofMillis(200);

  private final AuditStore audit;
  private final ScheduledExecutorService timer;
  private final Map<String, CompletableFuture<RunRecord>> endings = new ConcurrentHashMap<>();

  RunEndings(AuditStore audit, ScheduledExecutorService timer) {
    this.audit = audit;
    this.timer = timer;
  }

  /** Completes the waiters of a run that ended here, once all it held is released. */
  void ended(RunRecord run) {
    CompletableFuture<RunRecord> ending = endings.remove(run.id());
    if (ending != null) {
      ending.complete(run);
    }
  }

  /** Waits until the run is terminal or {@code timeout} passes; returns it as stored. */
  Optional<RunRecord> await(String runId, Duration timeout) throws InterruptedException {
    Optional<RunRecord> now = audit.findRun(runId);
    if (now.isEmpty() || now.get().status().isTerminal()) {
      return now;
    }
    CompletableFuture<RunRecord> ending =
        endings.computeIfAbsent(runId, id -> new CompletableFuture<>());
    ScheduledFuture<?> check =
        timer.scheduleWithFixedDelay(
            () -> checkStore(runId, ending),
            STORE_CHECK.toMillis(),
            STORE_CHECK.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      ending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      endings.remove(
          runId, ending); // answer with what the store holds; other waiters still check it
    } finally {
      check.cancel(false);
    }
    return audit.findRun(runId);
  }

  private void checkStore(String runId, CompletableFuture<RunRecord> ending) {
    try {
      audit
          .findRun(runId)
          .filter(run -> run.status().isTerminal())
          .ifPresent(
              run -> {
                endings.remove(runId, ending);
                ending.complete(run);
              });
    } catch (RuntimeException e) {
      // the next check tries again
    }
  }
}
