package io.intentbot.bot.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When each channel may be called again by the {@link SlackPoster}: {@code minInterval} after a
 * call Slack took, after a failure a back-off doubling from twice {@code minInterval} up to {@code
 * maxBackoff}, after a 429 Slack's {@code Retry-After}. A channel with nothing to post whose wait
 * is over is {@link #forgetIdle forgotten}, so the poster holds state only for channels it is
 * posting in (a forgotten channel starts afresh: no wait, no failures). Not thread-safe: the
 * poster's pass owns it.
 */
final class ChannelPacing {

  private final Duration minInterval;
  private final Duration maxBackoff;
  private final Map<String, Instant> nextAllowed = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();

  ChannelPacing(Duration minInterval, Duration maxBackoff) {
    this.minInterval = minInterval;
    this.maxBackoff = maxBackoff;
  }

  boolean mayCall(String channel, Instant now) {
    return !now.isBefore(nextAllowed.getOrDefault(channel, Instant.MIN));
  }

  /** Slack took the call made at {@code now}. */
  void succeeded(String channel, Instant now) {
    failures.remove(channel);
    nextAllowed.put(channel, now.plus(minInterval));
  }

  /** The call made at {@code now} failed or was refused: the channel backs off. */
  void failed(String channel, Instant now) {
    int n = failures.merge(channel, 1, Integer::sum);
    long millis = Math.min(maxBackoff.toMillis(), minInterval.toMillis() * (1L << Math.min(n, 16)));
    nextAllowed.put(channel, now.plusMillis(Math.max(millis, 10)));
  }

  /** Slack asked to wait ({@code 429}) until {@code until}. */
  void waitUntil(String channel, Instant until) {
    nextAllowed.put(channel, until);
  }

  /**
   * Forgets the channels not in {@code pending} whose wait is over at {@code now}; a channel still
   * waiting is kept, so a message arriving meanwhile still waits.
   */
  void forgetIdle(Collection<String> pending, Instant now) {
    Set<String> busy = new HashSet<>(pending);
    nextAllowed.entrySet().removeIf(e -> !busy.contains(e.getKey()) && !now.isBefore(e.getValue()));
    failures.keySet().removeIf(c -> !busy.contains(c) && !nextAllowed.containsKey(c));
  }

  /** How many channels it holds state for. */
  int channels() {
    Set<String> all = new HashSet<>(nextAllowed.keySet());
    all.addAll(failures.keySet());
    return all.size();
  }
}
