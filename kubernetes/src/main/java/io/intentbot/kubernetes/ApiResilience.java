package io.intentbot.kubernetes;

import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How Kubernetes API calls are retried and when the circuit to an API server opens. Read from the
 * {@code kubernetes:} config section:
 *
 * <pre>{@code
 * kubernetes:
 *   retry: { attempts: 4, backoff: 500ms, max_backoff: 5s }
 *   circuit_breaker: { failure_rate: 50, minimum_calls: 6, open_for: 30s }
 * }</pre>
 *
 * @param attempts calls per API request, including the first (at least 1)
 * @param backoff wait after the first failure; doubled after each further failure
 * @param maxBackoff longest wait between attempts
 * @param failureRate percentage of failed calls that opens the circuit
 * @param minimumCalls calls recorded before the failure rate counts
 * @param openFor how long an open circuit refuses calls before trying again
 */
public record ApiResilience(
    int attempts,
    Duration backoff,
    Duration maxBackoff,
    int failureRate,
    int minimumCalls,
    Duration openFor) {

  public static final ApiResilience DEFAULTS =
      new ApiResilience(
          4, Duration.ofMillis(500), Duration.ofSeconds(5), 50, 6, Duration.ofSeconds(30));

  public ApiResilience {
    if (attempts < 1) {
      throw new IllegalArgumentException("kubernetes.retry.attempts must be at least 1");
    }
    if (backoff.isNegative() || backoff.isZero() || maxBackoff.compareTo(backoff) < 0) {
      throw new IllegalArgumentException(
          "kubernetes.retry.backoff must be positive and at most max_backoff");
    }
    if (failureRate < 1 || failureRate > 100) {
      throw new IllegalArgumentException("kubernetes.circuit_breaker.failure_rate must be 1..100");
    }
    if (minimumCalls < 1 || openFor.isNegative() || openFor.isZero()) {
      throw new IllegalArgumentException(
          "kubernetes.circuit_breaker needs minimum_calls >= 1 and a positive open_for");
    }
  }

  /** Settings from the {@code kubernetes:} config section, defaults where a key is absent. */
  public static ApiResilience from(Map<String, Object> section) {
    Map<String, Object> retry = map(section.get("retry"));
    Map<String, Object> breaker = map(section.get("circuit_breaker"));
    return new ApiResilience(
        integer(retry.get("attempts"), DEFAULTS.attempts),
        duration(retry.get("backoff"), DEFAULTS.backoff),
        duration(retry.get("max_backoff"), DEFAULTS.maxBackoff),
        integer(breaker.get("failure_rate"), DEFAULTS.failureRate),
        integer(breaker.get("minimum_calls"), DEFAULTS.minimumCalls),
        duration(breaker.get("open_for"), DEFAULTS.openFor));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static int integer(Object value, int fallback) {
    return value == null ? fallback : Integer.parseInt(String.valueOf(value).trim());
  }

  private static Duration duration(Object value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    return Durations.parse(String.valueOf(value))
        .orElseThrow(() -> new IllegalArgumentException("not a duration: '" + value + "'"));
  }
}
