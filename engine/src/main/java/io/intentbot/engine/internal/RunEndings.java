package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.RunRecord;
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
import java.util.function.Predicate;

/**
 * Futures of runs reaching a terminal status. A run that executes in this process completes its
 * future when it has ended and released its lock, and nothing reads the store meanwhile (a waiter
 * must not keep the audit database's connections busy, see AuditDatabaseOutageIT); a run elsewhere
 * (another replica, a dead process, waiting for approval) is checked in the audit store on the
 * timer while somebody waits for it. Nobody sleeps.
 */
final class RunEndings {

  private static final Duration STORE_CHECK = Duration.ofMillis(200);

  private final AuditStore audit;
  private final ScheduledExecutorService timer;
  private final Map<String, CompletableFuture<RunRecord>> endings = new ConcurrentHashMap<>();
  private volatile Predicate<String> runsHere = id -> false;

  RunEndings(AuditStore audit, ScheduledExecutorService timer) {
    this.audit = audit;
    this.timer = timer;
  }

  /** Which runs execute in this process (they report their end; no need to read the store). */
  void runsHere(Predicate<String> here) {
    this.runsHere = here;
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
    ScheduledFuture<?> check;
    if (runsHere.test(runId)) {
      check = null;
      checkStore(runId, ending); // it may have ended before the future was there
    } else {
      check =
          timer.scheduleWithFixedDelay(
              () -> checkStore(runId, ending),
              STORE_CHECK.toMillis(),
              STORE_CHECK.toMillis(),
              TimeUnit.MILLISECONDS);
    }
    try {
      ending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      endings.remove(
          runId, ending); // answer with what the store holds; other waiters still check it
    } finally {
      if (check != null) {
        check.cancel(false);
      }
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
