package io.intentbot.engine.internal;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each run event to every listener; one failing listener affects no other.
 *
 * <p>Listeners write (the Slack outbox, the audit database), and a thread interrupted during an H2
 * file write closes the database's file channel for the whole process. A step's thread is
 * interrupted when its run is cancelled, so events published from it go through {@link
 * #publishFromStep}: one thread that nobody interrupts delivers them while the step's thread waits,
 * which keeps the events in the order they were published.
 */
final class EventBus implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService shielded =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "intentbot-events");
            thread.setDaemon(true);
            return thread;
          });

  EventBus(List<RunListener> initial) {
    listeners.addAll(initial);
  }

  void add(RunListener listener) {
    listeners.add(listener);
  }

  /** Tells every listener about a refused attempt (not a run, so not a {@link RunEvent}). */
  void refused(AccessEvent event) {
    for (RunListener listener : listeners) {
      try {
        listener.onRefused(event);
      } catch (RuntimeException e) {
        LOG.warn("run listener {} failed on a refusal", listener, e);
      }
    }
  }

  void publish(RunEvent event) {
    for (RunListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("run listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
      }
    }
  }

  /**
   * Publishes from a thread that may be interrupted (a step's): the listeners run on the bus's own
   * thread; an interrupt that arrives meanwhile is kept for the caller once they are done.
   */
  void publishFromStep(RunEvent event) {
    Future<?> delivery;
    try {
      delivery = shielded.submit(() -> publish(event));
    } catch (RejectedExecutionException closed) {
      LOG.warn("event {} after the engine closed: not delivered", event.getClass().getSimpleName());
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        delivery.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        LOG.warn("delivering {} failed", event.getClass().getSimpleName(), e.getCause());
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the delivery thread once what it holds is delivered (without interrupting it). */
  @Override
  public void close() {
    shielded.shutdown();
    try {
      shielded.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
