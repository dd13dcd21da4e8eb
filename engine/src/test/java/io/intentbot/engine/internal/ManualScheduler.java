package io.intentbot.engine.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose time moves only when a test says so: scheduled work waits in a queue with its
 * due time; {@link #advance} runs what falls due, in order. {@code execute} runs at once on the
 * caller's thread. Lets retry backoffs and timeouts be tested without sleeping.
 */
class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private long now;
  private long sequence;
  private final List<Task<?>> queue = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();

  /** Delays (ms) of everything scheduled so far, in the order it was scheduled. */
  synchronized List<Long> delays() {
    return List.copyOf(delays);
  }

  /** Pending scheduled work. */
  synchronized int pending() {
    return (int) queue.stream().filter(t -> !t.isDone()).count();
  }

  /** Moves time on by {@code by}, running what falls due (and what that schedules) in order. */
  void advance(Duration by) {
    long until;
    synchronized (this) {
      until = now + by.toMillis();
    }
    while (true) {
      Task<?> next;
      synchronized (this) {
        next =
            queue.stream()
                .filter(t -> !t.isDone() && t.due <= until)
                .min(Comparator.comparingLong((Task<?> t) -> t.due).thenComparingLong(t -> t.seq))
                .orElse(null);
        if (next == null) {
          now = until;
          return;
        }
        queue.remove(next);
        now = Math.max(now, next.due);
      }
      next.run();
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, unit.toMillis(delay)));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, unit.toMillis(delay)));
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    delays.add(task.delay);
    queue.add(task);
    return task;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the tests");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not needed by the tests");
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long delay;
    final long due;
    final long seq;

    Task(Callable<V> callable, long delay) {
      super(callable);
      this.delay = delay;
      synchronized (ManualScheduler.this) {
        this.due = now + delay;
        this.seq = sequence++;
      }
    }

    Task(Runnable runnable, V result, long delay) {
      super(runnable, result);
      this.delay = delay;
      synchronized (ManualScheduler.this) {
        this.due = now + delay;
        this.seq = sequence++;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (ManualScheduler.this) {
        return unit.convert(due - now, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
    }
  }
}
