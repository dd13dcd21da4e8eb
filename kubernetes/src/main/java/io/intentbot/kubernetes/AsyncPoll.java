package io.intentbot.kubernetes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * Waiting for the cluster without holding a thread, for one execution of one step.
 *
 * <ul>
 *   <li>{@link #call} runs blocking work (every cluster call) on the call threads, never on the
 *       scheduler.
 *   <li>{@link #until} reads every {@link Polling#interval()} until a decision, a failure (the read
 *       or the decision throws) or the deadline ({@link Polling#timeout()} from now on the clock).
 *       Between reads nothing runs: the next read is a task on the scheduler, which only hands it
 *       to the call threads.
 *   <li>{@link #watch} opens watches ({@link Watched}) first, then looks at once, again as soon as
 *       a watch reports a change, at a time a look asked for ({@link Wakeup#at}), and every {@link
 *       Polling#interval()} (the resync) in any case, until a decision, a failure or the deadline.
 *       The watches are closed when it ends.
 *   <li>{@link #cancel} (the step's future was cancelled: the run was cancelled or timed out) drops
 *       the scheduled read, interrupts running calls, cancels every future this poll handed out and
 *       starts nothing more. {@link #ensure} cleanup still runs.
 * </ul>
 *
 * <pre>{@code
 * return poll.call(() -> create(backup))
 *     .thenCompose(name -> poll.until(polling, () -> read(name), this::decide, this::timedOut));
 * }</pre>
 *
 * Futures fail with the exception the work threw (a {@link ClusterAccessException} for a cluster
 * error), as it is; {@link #cause} unwraps the {@link CompletionException} of dependent stages.
 */
public final class AsyncPoll {

  private final ScheduledExecutorService scheduler;
  private final Executor callThreads;
  private final Clock clock;
  private final Map<String, String> logContext;

  private final Object lock = new Object();
  private final Set<Thread> calling = new HashSet<>();
  private final Set<CompletableFuture<?>> open = new HashSet<>();
  private final Set<Future<?>> scheduled = new HashSet<>();
  private boolean cancelled;

  public AsyncPoll(
      ScheduledExecutorService scheduler,
      Executor callThreads,
      Clock clock,
      Map<String, String> logContext) {
    this.scheduler = scheduler;
    this.callThreads = callThreads;
    this.clock = clock;
    this.logContext = Map.copyOf(logContext);
  }

  public Clock clock() {
    return clock;
  }

  /** Runs blocking work on the call threads; its value or exception completes the future. */
  public <T> CompletableFuture<T> call(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (!track(result)) {
      return result;
    }
    try {
      callThreads.execute(() -> run(work, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /**
   * Reads until {@code decide} gives a value (the future completes with it) or the deadline passes
   * with no decision ({@code timedOut} of the last value read). The first read is at once.
   */
  public <T, R> CompletableFuture<R> until(
      Polling polling,
      Callable<T> read,
      Function<? super T, Optional<R>> decide,
      Function<? super T, ? extends R> timedOut) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (track(result)) {
      Instant deadline = clock.instant().plus(polling.timeout());
      look(new Look<>(polling, deadline, read, decide, timedOut, result));
    }
    return result;
  }

  /** How a look asks for the next one sooner than the resync (a grace that runs out). */
  public interface Wakeup {
    void at(Instant when);
  }

  /**
   * Like {@link #until}, but woken by watches rather than looking every interval: {@code open}
   * (blocking, on the call threads) starts the watches, each change of which calls the runnable it
   * is given; then {@code read} (from the watches' caches) and {@code decide} run at once, after
   * every change (coalesced: one look at a time, one more if something changed during it), at each
   * {@link Wakeup#at} asked for, every {@link Polling#interval()} as a resync, and at the deadline.
   * The watches are closed when the wait ends however it ends.
   */
  public <T, R> CompletableFuture<R> watch(
      Polling polling,
      Function<Runnable, List<? extends AutoCloseable>> open,
      Callable<T> read,
      java.util.function.BiFunction<? super T, Wakeup, Optional<R>> decide,
      Function<? super T, ? extends R> timedOut) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (!track(result)) {
      return result;
    }
    Instant deadline = clock.instant().plus(polling.timeout());
    Woken<T, R> woken = new Woken<>(polling, deadline, read, decide, timedOut, result);
    call(() -> open.apply(() -> scheduler.execute(() -> woken.changed())))
        .whenComplete(
            (watches, error) -> {
              if (error != null) {
                result.completeExceptionally(cause(error));
                return;
              }
              ensure(result, () -> watches.forEach(AsyncPoll::closeQuietly));
              woken.lookNow();
            });
    return result;
  }

  private static void closeQuietly(AutoCloseable watch) {
    try {
      watch.close();
    } catch (Exception e) {
      // closing a watch that already broke
    }
  }

  /** The state of one {@link #watch}: at most one look running, one scheduled. */
  private final class Woken<T, R> implements Wakeup {
    private final Polling polling;
    private final Instant deadline;
    private final Callable<T> read;
    private final java.util.function.BiFunction<? super T, Wakeup, Optional<R>> decide;
    private final Function<? super T, ? extends R> timedOut;
    private final CompletableFuture<R> result;
    private boolean looking;
    private boolean dirty;
    private Instant asked;
    private Future<?> next;

    Woken(
        Polling polling,
        Instant deadline,
        Callable<T> read,
        java.util.function.BiFunction<? super T, Wakeup, Optional<R>> decide,
        Function<? super T, ? extends R> timedOut,
        CompletableFuture<R> result) {
      this.polling = polling;
      this.deadline = deadline;
      this.read = read;
      this.decide = decide;
      this.timedOut = timedOut;
      this.result = result;
    }

    @Override
    public void at(Instant when) {
      synchronized (lock) {
        if (asked == null || when.isBefore(asked)) {
          asked = when;
        }
      }
    }

    /** A watch saw a change (on the scheduler). */
    void changed() {
      synchronized (lock) {
        if (looking) {
          dirty = true;
          return;
        }
        if (next == null) {
          return; // the watches are still opening: the first look comes anyway
        }
      }
      lookNow();
    }

    void lookNow() {
      synchronized (lock) {
        if (cancelled || result.isDone()) {
          return;
        }
        if (next != null) {
          next.cancel(false);
          scheduled.remove(next);
          next = null;
        }
        looking = true;
        dirty = false;
        asked = null;
      }
      call(this::once)
          .whenComplete(
              (decided, error) -> {
                if (error != null) {
                  result.completeExceptionally(cause(error));
                } else if (decided != null) {
                  result.complete(decided.value());
                } else {
                  afterLook();
                }
              });
    }

    private Decided<R> once() throws Exception {
      T value = read.call();
      Optional<R> decided = decide.apply(value, this);
      if (decided.isPresent()) {
        return new Decided<>(decided.get());
      }
      return clock.instant().isBefore(deadline) ? null : new Decided<>(timedOut.apply(value));
    }

    private void afterLook() {
      boolean again;
      synchronized (lock) {
        looking = false;
        again = dirty;
        if (!again) {
          Instant now = clock.instant();
          Instant when = now.plus(polling.interval());
          if (asked != null && asked.isBefore(when)) {
            when = asked;
          }
          if (deadline.isBefore(when)) {
            when = deadline;
          }
          long nanos = Math.max(1_000_000L, java.time.Duration.between(now, when).toNanos());
          if (cancelled) {
            return;
          }
          try {
            Future<?>[] self = new Future<?>[1];
            self[0] =
                scheduler.schedule(
                    () -> {
                      synchronized (lock) {
                        scheduled.remove(self[0]);
                        if (next != self[0]) {
                          return;
                        }
                        next = null;
                      }
                      lookNow();
                    },
                    nanos,
                    TimeUnit.NANOSECONDS);
            next = self[0];
            scheduled.add(self[0]);
          } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
          }
        }
      }
      if (again) {
        lookNow();
      }
    }
  }

  /**
   * {@code work}'s outcome, once {@code cleanup} has run on the call threads after it, whether
   * {@code work} succeeded, failed or was cancelled. Cleanup is never interrupted by {@link
   * #cancel}.
   */
  public <T> CompletableFuture<T> ensure(CompletableFuture<T> work, Runnable cleanup) {
    CompletableFuture<T> done = new CompletableFuture<>();
    work.whenComplete(
        (value, error) -> {
          Runnable task =
              () -> {
                Map<String, String> before = enterLogContext();
                try {
                  cleanup.run();
                } finally {
                  leaveLogContext(before);
                  if (error == null) {
                    done.complete(value);
                  } else {
                    done.completeExceptionally(cause(error));
                  }
                }
              };
          try {
            callThreads.execute(task);
          } catch (RejectedExecutionException e) {
            task.run();
          }
        });
    return done;
  }

  /** Stops this poll: see the class comment. */
  public void cancel() {
    List<CompletableFuture<?>> handedOut;
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      scheduled.forEach(f -> f.cancel(false));
      scheduled.clear();
      calling.forEach(Thread::interrupt);
      handedOut = new ArrayList<>(open);
      open.clear();
    }
    handedOut.forEach(f -> f.cancel(false));
  }

  /** The exception a future failed with, without the wrappers of dependent stages. */
  public static Throwable cause(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private boolean track(CompletableFuture<?> future) {
    synchronized (lock) {
      if (cancelled) {
        future.cancel(false);
        return false;
      }
      open.add(future);
    }
    future.whenComplete(
        (value, error) -> {
          synchronized (lock) {
            open.remove(future);
          }
        });
    return true;
  }

  private <T> void run(Callable<T> work, CompletableFuture<T> result) {
    Thread me = Thread.currentThread();
    synchronized (lock) {
      if (cancelled || result.isDone()) {
        return;
      }
      calling.add(me);
    }
    T value = null;
    Throwable error = null;
    boolean wasCancelled;
    Map<String, String> before = enterLogContext();
    try {
      value = work.call();
    } catch (Throwable e) {
      error = e;
    } finally {
      leaveLogContext(before);
      synchronized (lock) {
        calling.remove(me);
        wasCancelled = cancelled;
      }
      if (wasCancelled) {
        // The interrupt was meant for this call, not for the thread's next task.
        Thread.interrupted();
      }
    }
    if (wasCancelled) {
      // cancel() may not have reached this call's future yet: an interrupted call must not
      // complete it with its InterruptedException first.
      result.cancel(false);
      return;
    }
    if (error == null) {
      result.complete(value);
    } else {
      result.completeExceptionally(error);
    }
  }

  private <T, R> void look(Look<T, R> look) {
    call(() -> once(look))
        .whenComplete(
            (decided, error) -> {
              if (error != null) {
                look.result.completeExceptionally(cause(error));
              } else if (decided != null) {
                look.result.complete(decided.value());
              } else {
                later(look);
              }
            });
  }

  /** One read: a decision, or null to look again. */
  private <T, R> Decided<R> once(Look<T, R> look) throws Exception {
    T value = look.read.call();
    Optional<R> decided = look.decide.apply(value);
    if (decided.isPresent()) {
      return new Decided<>(decided.get());
    }
    return clock.instant().isBefore(look.deadline)
        ? null
        : new Decided<>(look.timedOut.apply(value));
  }

  private <T, R> void later(Look<T, R> look) {
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      try {
        Future<?>[] self = new Future<?>[1];
        self[0] =
            scheduler.schedule(
                () -> {
                  synchronized (lock) {
                    scheduled.remove(self[0]);
                  }
                  look(look);
                },
                Math.max(1_000_000L, look.polling.interval().toNanos()),
                TimeUnit.NANOSECONDS);
        scheduled.add(self[0]);
      } catch (RejectedExecutionException e) {
        look.result.completeExceptionally(e);
      }
    }
  }

  private Map<String, String> enterLogContext() {
    Map<String, String> before = MDC.getCopyOfContextMap();
    logContext.forEach(MDC::put);
    return before;
  }

  private static void leaveLogContext(Map<String, String> before) {
    if (before == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(before);
    }
  }

  /** A decision, possibly null (a timed-out wait may decide "nothing"). */
  private record Decided<R>(R value) {}

  private record Look<T, R>(
      Polling polling,
      Instant deadline,
      Callable<T> read,
      Function<? super T, Optional<R>> decide,
      Function<? super T, ? extends R> timedOut,
      CompletableFuture<R> result) {}
}
