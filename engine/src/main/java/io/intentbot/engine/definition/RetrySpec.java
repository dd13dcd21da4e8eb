package io.intentbot.engine.definition;

import java.time.Duration;

/**
 * {@code retry: { attempts: 3, backoff: 2s }}: try a failing step up to {@code attempts} times in
 * all, waiting {@code backoff} before the second try and doubling after each further failure up to
 * {@code maxBackoff}.
 */
public record RetrySpec(int attempts, Duration backoff, Duration maxBackoff) {

  public static final RetrySpec NONE = new RetrySpec(1, Duration.ZERO, Duration.ZERO);

  public RetrySpec {
    if (attempts < 1) {
      throw new IllegalArgumentException("retry.attempts must be at least 1, got " + attempts);
    }
  }
}
