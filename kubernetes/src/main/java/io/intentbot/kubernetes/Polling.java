package io.intentbot.kubernetes;

import java.time.Duration;

/**
 * How long a step waits for the cluster and how often it looks: {@code timeout} and {@code
 * poll_interval} in {@code with:}. {@link AsyncPoll#until} waits accordingly.
 */
public record Polling(Duration timeout, Duration interval) {

  /** {@code timeout} and {@code interval} as given in {@code with:}, else the defaults. */
  public static Polling of(
      Duration timeout, Duration interval, Duration defaultTimeout, Duration defaultInterval) {
    return new Polling(
        timeout == null ? defaultTimeout : timeout, interval == null ? defaultInterval : interval);
  }

  public Polling withTimeout(Duration shorter) {
    return new Polling(shorter, interval);
  }
}
