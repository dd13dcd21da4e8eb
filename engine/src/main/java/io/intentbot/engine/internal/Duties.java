package io.intentbot.engine.internal;

import io.intentbot.engine.Leadership;
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

  private final Liveness liveness;
  private final ApprovalDesk desk;
  private final Leadership leadership;
  private final ScheduledExecutorService timer;
  private final Executor work;
  private final Duration beat;
  private final Duration expiryInterval;

  Duties(
      Liveness liveness,
      ApprovalDesk desk,
      Leadership leadership,
      ScheduledExecutorService timer,
      Executor work,
      Duration beat,
      Duration expiryInterval) {
    this.liveness = liveness;
    this.desk = desk;
    this.leadership = leadership;
    this.timer = timer;
    this.work = work;
    this.beat = beat;
    this.expiryInterval = expiryInterval;
  }

  /** Beats once now, then schedules the heartbeat and the expiry ticks. */
  void start() {
    liveness.beat();
    long every = beat.toMillis();
    timer.scheduleWithFixedDelay(
        () -> work.execute(this::heartbeat), every, every, TimeUnit.MILLISECONDS);
    long expiry = Math.max(50, expiryInterval.toMillis());
    timer.scheduleWithFixedDelay(
        () -> work.execute(this::expire), expiry, expiry, TimeUnit.MILLISECONDS);
  }

  /** One heartbeat, then the interrupted runs when this process leads that duty. */
  void heartbeat() {
    try {
      liveness.beat();
      if (leadership.mayRun(Leadership.INTERRUPTED_RUNS)) {
        liveness.recoverInterrupted();
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat failed: {}", e.getMessage());
    }
  }

  /** Expires approval requests past their time when this process leads that duty. */
  void expire() {
    try {
      if (leadership.mayRun(Leadership.APPROVAL_EXPIRY)) {
        desk.expireApprovals();
      }
    } catch (RuntimeException e) {
      LOG.warn("expiring approvals failed: {}", e.getMessage());
    }
  }
}
