package io.intentbot.kubernetes.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler and a clock on virtual time, for tests that wait without sleeping: tasks run on the
 * test's thread, in time order, when the test calls {@link #run} or {@link #advance}; the clock
 * jumps to each task's time. The step's scheduled looks and the test's controllers share it, so
 * "the controller marks the rollout ready after 150 ms" and "the step looks every 20 ms" interleave
 * as they would on a real clock.
 */
public final class VirtualTime extends AbstractExecutorService implements ScheduledExecutorService {

  private static final int MAX_TASKS = 100_000;

  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private Instant now = Instant.parse("2026-12-01T12:00:00Z");
  private long sequence;
  private boolean shutdown;
  private volatile Thread owner;
  private final java.util.concurrent.atomic.AtomicLong arrivals =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Runnable settle = () -> {};

  /**
   * What to wait for before the clock moves on: work other threads hand in (a watch event from the
   * API server) must be in the queue first, or virtual time would race past it. The default waits
   * for nothing.
   */
  public void settleWith(Runnable settle) {
    this.settle = settle;
  }

  /** Tasks handed in by other threads than the one running this time (watch events). */
  public long arrivals() {
    return arrivals.get();
  }

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
          return now();
        }
      };

  public Clock clock() {
    return clock;
  }

  public synchronized Instant now() {
    return now;
  }

  /** Tasks waiting to run (cancelled ones excluded). */
  public synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.isCancelled()).count();
  }

  /**
   * Runs due tasks in time order until {@code future} is done, and returns its value.
   *
   * @throws AssertionError when nothing is scheduled and the future is still not done
   */
  public <T> T run(CompletableFuture<T> future) {
    owner = Thread.currentThread();
    int ran = 0;
    while (!future.isDone()) {
      if (!runNext()) {
        throw new AssertionError("nothing is scheduled, and the future is not done");
      }
      if (++ran > MAX_TASKS) {
        throw new AssertionError("the future is not done after " + MAX_TASKS + " tasks");
      }
    }
    return future.join();
  }

  /** Runs every task due within {@code duration}, then sets the clock to its end. */
  public void advance(Duration duration) {
    owner = Thread.currentThread();
    Instant end;
    synchronized (this) {
      end = now.plus(duration);
    }
    while (true) {
      settleBeforeTimeMoves();
      synchronized (this) {
        Task<?> next = queue.peek();
        if (next == null || next.time.isAfter(end)) {
          now = end;
          return;
        }
      }
      runNext();
    }
  }

  private void settleBeforeTimeMoves() {
    boolean moves;
    synchronized (this) {
      Task<?> next = queue.peek();
      moves = next == null || next.time.isAfter(now);
    }
    if (moves) {
      settle.run();
    }
  }

  private boolean runNext() {
    settleBeforeTimeMoves();
    Task<?> task;
    synchronized (this) {
      task = queue.poll();
      if (task == null) {
        return false;
      }
      if (task.time.isAfter(now)) {
        now = task.time;
      }
    }
    if (!task.isCancelled()) {
      task.fire();
    }
    return true;
  }

  private synchronized <T> Task<T> add(Task<T> task) {
    if (owner != null && Thread.currentThread() != owner) {
      arrivals.incrementAndGet();
    }
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }
    queue.add(task);
    return task;
  }

  private Task<Object> task(Runnable command, long delay, long period, TimeUnit unit) {
    return new Task<>(Executors.callable(command), delay, period, unit);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(task(command, delay, 0, unit));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, delay, 0, unit));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(task(command, initialDelay, period, unit));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(task(command, initialDelay, delay, unit));
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long order;
    private final Duration period;
    private Instant time;

    Task(Callable<V> callable, long delay, long period, TimeUnit unit) {
      super(callable);
      synchronized (VirtualTime.this) {
        this.order = sequence++;
        this.time = now.plusNanos(unit.toNanos(Math.max(0, delay)));
      }
      this.period = Duration.ofNanos(unit.toNanos(period));
    }

    void fire() {
      if (period.isZero()) {
        run();
      } else if (runAndReset()) {
        synchronized (VirtualTime.this) {
          time = now.plus(period);
          if (!shutdown) {
            queue.add(this);
          }
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(now(), time));
    }

    @Override
    public int compareTo(Delayed other) {
      Task<?> that = (Task<?>) other;
      int byTime = time.compareTo(that.time);
      return byTime != 0 ? byTime : Long.compare(order, that.order);
    }
  }
}
