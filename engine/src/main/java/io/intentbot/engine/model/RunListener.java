package io.intentbot.engine.model;

/**
 * Receives {@link RunEvent}s: the Slack thread, the console, the logs and metrics subscribe. A
 * listener must return quickly (queue work, never wait on a network); an exception it throws is
 * logged and does not affect the run or other listeners.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);

  /**
   * A request or decision was refused and recorded in the access log; it is not a run. Metrics
   * count these; most listeners ignore them.
   */
  default void onRefused(AccessEvent event) {}
}
