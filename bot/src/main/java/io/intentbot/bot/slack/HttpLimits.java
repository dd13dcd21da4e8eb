package io.intentbot.bot.slack;

import io.intentbot.engine.config.ConfigException;
import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How much {@link SlackServer} takes from the network, so that no client can exhaust its memory,
 * threads or connections: request bodies over {@code maxBody} bytes are refused with 413 before
 * they are read; a connection that has not sent its first request's headers within {@code
 * headerTimeout}, or stays silent for {@code idleTimeout}, is closed; at most {@code
 * maxConnections} connections are open at once (beyond it new ones wait in the kernel's backlog,
 * and idle ones are closed after a second); a connection serves at most {@code
 * requestsPerConnection} requests; at most {@code concurrentEvents} requests to {@code
 * /slack/events} are read at once (more get 503 with {@code Retry-After}), so slow bodies never
 * hold every thread and {@code /healthz} keeps answering. {@code healthPort}, when set, serves
 * {@code /healthz} alone on a connector and threads of its own (0 for any free port).
 *
 * <p>Slack sends small payloads (a slash command is a few KB; a modal submission rarely 50 KB).
 */
public record HttpLimits(
    int maxBody,
    Duration headerTimeout,
    Duration idleTimeout,
    int maxConnections,
    int requestsPerConnection,
    int concurrentEvents,
    Integer healthPort) {

  /** 256 KB: the largest request body (and Socket Mode frame) taken. */
  public static final int MAX_BODY = 256 * 1024;

  public static final HttpLimits DEFAULTS =
      new HttpLimits(MAX_BODY, Duration.ofSeconds(10), Duration.ofSeconds(30), 512, 100, 32, null);

  public HttpLimits {
    if (maxBody < 1
        || maxConnections < 1
        || requestsPerConnection < 1
        || concurrentEvents < 1
        || headerTimeout.isNegative()
        || headerTimeout.isZero()
        || idleTimeout.isNegative()
        || idleTimeout.isZero()) {
      throw new IllegalArgumentException("HTTP limits must be positive");
    }
  }

  /**
   * The defaults, with {@code INTENTBOT_HTTP_MAX_CONNECTIONS}, {@code INTENTBOT_HTTP_IDLE_TIMEOUT}
   * (a duration) and {@code INTENTBOT_HEALTH_PORT} from {@code env} when set.
   *
   * @throws ConfigException naming the variable when one is not valid
   */
  public static HttpLimits fromEnv(Map<String, String> env) {
    HttpLimits d = DEFAULTS;
    return new HttpLimits(
        d.maxBody,
        d.headerTimeout,
        duration(env, "INTENTBOT_HTTP_IDLE_TIMEOUT", d.idleTimeout),
        number(env, "INTENTBOT_HTTP_MAX_CONNECTIONS", d.maxConnections, 1),
        d.requestsPerConnection,
        d.concurrentEvents,
        env.get("INTENTBOT_HEALTH_PORT") == null
            ? null
            : number(env, "INTENTBOT_HEALTH_PORT", 0, 0));
  }

  private static int number(Map<String, String> env, String name, int fallback, int min) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= min && value <= 65535) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ConfigException(
        name + " must be a whole number from " + min + " to 65535, got '" + text + "'");
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    return Durations.parse(text.strip())
        .filter(d -> !d.isZero() && !d.isNegative())
        .orElseThrow(
            () ->
                new ConfigException(name + " must be a duration such as 30s, got '" + text + "'"));
  }
}
