package io.intentbot.bot.slack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When Slack said to wait: per method for the whole workspace (Slack's tiers count calls per method
 * per workspace; {@code chat.update} is Tier 3, {@code chat.postMessage} also has a workspace cap)
 * and per channel. A 429's {@code Retry-After} stops that method everywhere and, when the call had
 * a channel, that channel too; every caller asks {@link #mayCall} first (the outbox poster for
 * messages and files, the modal for {@code views.open}, the group directory for {@code
 * usergroups.*}, the channel check). Waits that are over are dropped at the next 429, so it holds
 * only the channels and methods waiting now (and those whose wait ended since).
 */
public final class SlackRateLimits {

  private final Clock clock;
  private final Map<String, Instant> methods = new ConcurrentHashMap<>();
  private final Map<String, Instant> channels = new ConcurrentHashMap<>();
  private volatile String lastChannel429;

  /** The method whose limit is per channel first (about one message per second per channel). */
  static final String PER_CHANNEL = "chat.postMessage";

  public SlackRateLimits(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code method} (in {@code channel}, or null) may be called now. */
  public boolean mayCall(String method, String channel) {
    return waitFor(method, channel).isZero();
  }

  /** How many channels it holds a wait for. */
  int channelsHeld() {
    return channels.size();
  }

  /** How long Slack asked to wait before calling {@code method} in {@code channel}; zero: none. */
  public Duration waitFor(String method, String channel) {
    Instant now = clock.instant();
    Instant until = methods.getOrDefault(method, Instant.MIN);
    if (channel != null) {
      Instant c = channels.getOrDefault(channel, Instant.MIN);
      until = c.isAfter(until) ? c : until;
    }
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }

  /**
   * Slack answered 429 with {@code retryAfter} (seconds; 1 when absent); returns the wait. The
   * method waits everywhere, except {@code chat.postMessage}: its limit is first per channel, so
   * one channel's 429 stops that channel; a second channel's 429 while the first still waits is the
   * workspace's cap, and then every channel waits.
   */
  public Duration rateLimited(String method, String channel, String retryAfter) {
    Duration wait = Duration.ofSeconds(seconds(retryAfter));
    Instant now = clock.instant();
    Instant until = now.plus(wait);
    // waits that are over say nothing: dropped here, so only current ones are held
    channels.values().removeIf(t -> !t.isAfter(now));
    methods.values().removeIf(t -> !t.isAfter(now));
    boolean perChannel = channel != null && method.equals(PER_CHANNEL);
    if (perChannel) {
      String other = lastChannel429;
      boolean workspace =
          other != null
              && !other.equals(channel)
              && channels.getOrDefault(other, Instant.MIN).isAfter(now);
      lastChannel429 = channel;
      if (workspace) {
        perChannel = false;
      }
    }
    if (!perChannel) {
      methods.merge(method, until, SlackRateLimits::later);
    }
    if (channel != null) {
      channels.merge(channel, until, SlackRateLimits::later);
    }
    return wait;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static long seconds(String header) {
    try {
      return Math.max(0, Long.parseLong(header == null ? "1" : header.strip()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
