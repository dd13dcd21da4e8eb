package io.intentbot.engine.internal;

import io.intentbot.engine.leader.Leadership;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background duties, whichever adapter runs it: this process's heartbeat, then (while
 * it leads them) marking runs of silent processes as interrupted and expiring approval requests.
 * Asking {@link Leadership#mayRun} on every tick is what renews this process's leases. Nothing is
 * scheduled until {@link #start()}.
 */
final class Duties {

  private static final Logger LOG = LoggerFactory.getLogger(Duties.class);

  private final Runnable beat;
  private final Runnable recoverInterrupted;
  private final Runnable expireApprovals;
  private final Leadership leadership;
  private final ScheduledExecutorService timer;
  private final Executor work;
  private final Duration beatInterval;
  private final Duration expiryInterval;

  /**
   * @param beat writes this process's heartbeat
   * @param recoverInterrupted marks runs of silent processes interrupted
   * @param expireApprovals expires approval requests past their time
   * @param timer schedules the ticks
   * @param work runs each tick (off the timer thread)
   */
  Duties(
      Runnable beat,
      Runnable recoverInterrupted,
      Runnable expireApprovals,
      Leadership leadership,
      ScheduledExecutorService timer,
      Executor work,
      Duration beatInterval,
      Duration expiryInterval) {
    this.beat = beat;
    this.recoverInterrupted = recoverInterrupted;
    this.expireApprovals = expireApprovals;
    this.leadership = leadership;
    this.timer = timer;
    this.work = work;
    this.beatInterval = beatInterval;
    this.expiryInterval = expiryInterval;
  }

  /** Beats once now, then schedules the heartbeat and the expiry ticks. */
  void start() {
    beat.run();
    long every = beatInterval.toMillis();
    timer.scheduleWithFixedDelay(
        () -> work.execute(this::heartbeat), every, every, TimeUnit.MILLISECONDS);
    long expiry = Math.max(50, expiryInterval.toMillis());
    timer.scheduleWithFixedDelay(
        () -> work.execute(this::expire), expiry, expiry, TimeUnit.MILLISECONDS);
  }

  /** One heartbeat, then the interrupted runs when this process leads that duty. */
  void heartbeat() {
    try {
      beat.run();
      if (leadership.mayRun(Leadership.INTERRUPTED_RUNS)) {
        recoverInterrupted.run();
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.getMessage());
    }
  }

  /** Expires approval requests past their time when this process leads that duty. */
  void expire() {
    try {
      if (leadership.mayRun(Leadership.APPROVAL_EXPIRY)) {
        expireApprovals.run();
      }
    } catch (RuntimeException e) {
      LOG.warn("expiring approvals failed: {}", e.getMessage());
    }
  }
}
