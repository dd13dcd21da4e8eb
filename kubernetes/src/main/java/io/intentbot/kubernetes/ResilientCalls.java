package io.intentbot.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one place where Kubernetes API calls get their resilience. Order, outermost first: retry
 * (exponential backoff), then the API server's circuit breaker, then the call.
 *
 * <ul>
 *   <li>Retried: HTTP 5xx, 429 and connection errors, after the backoff or, when longer, the wait
 *       the server asked for ({@code retryAfterSeconds}, up to 30 s). Everything else (404, 409,
 *       403, 422) is the server's answer and goes straight back to the step.
 *   <li>Each attempt that fails in a retryable way counts against the circuit breaker of that API
 *       server. Once it opens, calls fail at once with a message saying the API server is
 *       unavailable, until {@code open_for} has passed.
 *   <li>An interrupted thread is never retried.
 * </ul>
 */
public final class ResilientCalls {

  private final ApiResilience settings;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final ResilientCalls recovery;

  /** Per API server, the last call that failed in a retryable way and why, for messages. */
  private final Map<String, String> lastFailures = new ConcurrentHashMap<>();

  public ResilientCalls(ApiResilience settings) {
    this.settings = settings;
    this.recovery = new ResilientCalls(settings, null);
  }

  private ResilientCalls(ApiResilience settings, Void recoveryItself) {
    this.settings = settings;
    this.recovery = this;
  }

  /**
   * The same retries with circuit breakers of their own, for the calls that undo a failed change
   * (an intent's {@code on_failure} rollback): the failures that opened the normal breaker must not
   * refuse the undo without it being tried.
   */
  public ResilientCalls recovery() {
    return recovery;
  }

  /**
   * Runs one API call against the client's server.
   *
   * @param what what the call does, for messages ("read deployment shop/web")
   * @throws ClusterAccessException when the call failed for good, with a message naming {@code
   *     what} and the reason
   */
  public <T> T call(KubernetesClient client, String what, Supplier<T> call) {
    String server = String.valueOf(client.getMasterUrl());
    CircuitBreaker breaker = breakers.computeIfAbsent(server, this::breaker);
    Retry retry = Retry.of("kubernetes-" + server, retryConfig());
    Supplier<T> noted =
        () -> {
          try {
            return call.get();
          } catch (KubernetesClientException e) {
            if (retryable(e)) {
              lastFailures.put(server, what + ": " + describe(e));
            }
            throw e;
          }
        };
    Supplier<T> decorated =
        Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, noted));
    try {
      return decorated.get();
    } catch (CallNotPermittedException e) {
      throw new ClusterAccessException(
          "Kubernetes API server "
              + server
              + " ("
              + context(client).map(c -> "context '" + c + "'; ").orElse("")
              + tried(breaker, server)
              + ") is unavailable (circuit open after repeated failures); could not "
              + what
              + ". Try again later.",
          e);
    } catch (KubernetesClientException e) {
      if (isInterruption(e)) {
        Thread.currentThread().interrupt();
        throw new ClusterAccessException("interrupted while trying to " + what, e);
      }
      if (unreachable(e)) {
        throw new ClusterAccessException(
            "could not "
                + what
                + ": cannot reach the Kubernetes API server "
                + server
                + context(client).map(c -> " of context '" + c + "'").orElse("")
                + " ("
                + describe(e)
                + "); check that the cluster is up and that the kubeconfig names the right"
                + " server",
            e);
      }
      throw new ClusterAccessException("could not " + what + ": " + describe(e), e);
    }
  }

  /** What was tried before the circuit opened: how many calls failed, the last one and why. */
  private String tried(CircuitBreaker breaker, String server) {
    CircuitBreaker.Metrics metrics = breaker.getMetrics();
    String last = lastFailures.get(server);
    return metrics.getNumberOfFailedCalls()
        + " of the last "
        + metrics.getNumberOfBufferedCalls()
        + " calls failed"
        + (last == null ? "" : ", the last: " + last)
        + "; it is tried again "
        + io.intentbot.engine.text.Durations.format(settings.openFor())
        + " after the circuit opened";
  }

  /** The kubeconfig context the client was made from, when it has a name. */
  private static java.util.Optional<String> context(KubernetesClient client) {
    var config = client.getConfiguration();
    return java.util.Optional.ofNullable(config == null ? null : config.getCurrentContext())
        .map(io.fabric8.kubernetes.api.model.NamedContext::getName)
        .filter(name -> !name.isBlank());
  }

  /** The server could not be reached at all: refused, no such host, no route. */
  static boolean unreachable(Throwable e) {
    return hasCause(e, java.net.ConnectException.class)
        || hasCause(e, java.net.UnknownHostException.class)
        || hasCause(e, java.net.NoRouteToHostException.class);
  }

  /** Runs a call that returns nothing. */
  public void run(KubernetesClient client, String what, Runnable call) {
    call(
        client,
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /** The longest wait a server's Retry-After (429 or 503) gets honoured for. */
  static final long MAX_RETRY_AFTER_MILLIS = 30_000;

  private RetryConfig retryConfig() {
    IntervalFunction backoff =
        IntervalFunction.ofExponentialBackoff(settings.backoff(), 2.0, settings.maxBackoff());
    return RetryConfig.custom()
        .maxAttempts(settings.attempts())
        .intervalBiFunction(
            (Integer attempt, Either<Throwable, Object> outcome) ->
                Math.max(
                    backoff.apply(attempt),
                    outcome.isLeft() ? retryAfterMillis(outcome.getLeft()) : 0L))
        .retryOnException(e -> retryable(e) && !Thread.currentThread().isInterrupted())
        .build();
  }

  private CircuitBreaker breaker(String server) {
    return CircuitBreaker.of(
        "kubernetes-" + server,
        CircuitBreakerConfig.custom()
            .failureRateThreshold(settings.failureRate())
            .minimumNumberOfCalls(settings.minimumCalls())
            .slidingWindowSize(Math.max(settings.minimumCalls(), 10))
            .waitDurationInOpenState(settings.openFor())
            .recordException(ResilientCalls::retryable)
            .build());
  }

  /**
   * What the server asked to wait before the next attempt: {@code retryAfterSeconds} of its Status,
   * as the API server sends it with 429 (and 503) beside the {@code Retry-After} header; at most
   * {@link #MAX_RETRY_AFTER_MILLIS}.
   */
  static long retryAfterMillis(Throwable e) {
    if (e instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getDetails() != null
        && k.getStatus().getDetails().getRetryAfterSeconds() != null) {
      return Math.min(
          MAX_RETRY_AFTER_MILLIS, k.getStatus().getDetails().getRetryAfterSeconds() * 1000L);
    }
    return 0;
  }

  /**
   * 5xx, 429, connection errors and requests that timed out: the server may answer differently in a
   * moment.
   */
  static boolean retryable(Throwable e) {
    if (e instanceof KubernetesClientException k) {
      if (isInterruption(k)) {
        return false;
      }
      int code = k.getCode();
      if (code >= 500 || code == 429) {
        return true;
      }
      return code <= 0
          && (hasCause(k, IOException.class)
              || hasCause(k, java.util.concurrent.TimeoutException.class));
    }
    return false;
  }

  private static boolean isInterruption(Throwable e) {
    return hasCause(e, InterruptedException.class)
        || hasCause(e, InterruptedIOException.class)
            && !hasCause(e, java.net.SocketTimeoutException.class);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  static String describe(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return "HTTP " + e.getCode() + ": " + e.getStatus().getMessage();
    }
    if (e.getCode() > 0) {
      return "HTTP " + e.getCode();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
