package io.intentbot.engine.internal;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each run event to every listener; one failing listener affects no other. */
final class EventBus {

  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
  private final List<RunListener> listeners = new CopyOnWriteArrayList<>();

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
}
