package io.intentbot.kubernetes;

import io.intentbot.engine.step.StepInput;
import java.time.Duration;

/**
 * How long a step waits for the cluster and how often it looks: {@code timeout} and {@code
 * poll_interval} in {@code with:}. {@link AsyncPoll#until} waits accordingly.
 */
public record Polling(Duration timeout, Duration interval) {

  public static Polling from(StepInput input, Duration defaultTimeout, Duration defaultInterval) {
    return new Polling(
        input.duration("timeout", defaultTimeout),
        input.duration("poll_interval", defaultInterval));
  }

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
