package io.intentbot.engine.internal;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.intentbot.engine.audit.AuditStoreException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit writes a run makes while it executes (step records, its end, its lock) ride out a
 * database that is briefly unreachable: a write failing for a lost connection is retried with
 * backoff for about half a minute. A write the database refuses (a constraint, a sealed record) is
 * not retried. Commands answered to people do not go through here: they fail fast instead.
 */
final class DurableWrites {

  private static final Logger LOG = LoggerFactory.getLogger(DurableWrites.class);

  private final Retry retry;

  DurableWrites(Duration firstWait, int attempts) {
    this.retry =
        Retry.of(
            "audit-writes",
            RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(
                    IntervalFunction.of(
                        Math.max(1, firstWait.toMillis()),
                        previous -> Math.min(previous * 2, 5_000)))
                .retryOnException(DurableWrites::connectionLost)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            e ->
                LOG.warn(
                    "audit database unreachable, retrying in {} ms: {}",
                    e.getWaitInterval().toMillis(),
                    e.getLastThrowable() == null ? "" : e.getLastThrowable().getMessage()));
  }

  /** About 30 s of retries: 250 ms, 500 ms, 1 s, 2 s, then every 5 s. */
  static DurableWrites standard() {
    return new DurableWrites(Duration.ofMillis(250), 10);
  }

  void run(Runnable write) {
    retry.executeRunnable(write);
  }

  <T> T get(Supplier<T> write) {
    return retry.executeSupplier(write);
  }

  /** A failure to reach the database, as opposed to the database refusing the write. */
  static boolean connectionLost(Throwable error) {
    if (!(error instanceof AuditStoreException)) {
      return false;
    }
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLTransientConnectionException
          || cause instanceof java.sql.SQLNonTransientConnectionException) {
        return true;
      }
      if (cause instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.startsWith("08")) {
          return true;
        }
        if (state != null && state.startsWith("23")) {
          return false;
        }
        if (sql.getErrorCode() == 90067 || sql.getErrorCode() == 90121) {
          return true;
        }
      }
    }
    return false;
  }
}
