package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@link OutboxStore} to Slack in the background, so that a run never waits on Slack.
 *
 * <ul>
 *   <li>Fair and prioritised: each pass visits every channel with something to post, those with an
 *       approval card, a final result or a notice first, and makes at most one call in each, so a
 *       busy channel never delays another. In a channel, the run with the most urgent message is
 *       served next ({@link OutboxStore#next}): a card or a final result goes ahead of other runs'
 *       step output; a run's own messages keep their order.
 *   <li>At most one call per channel every {@code minInterval} (Slack allows about one message per
 *       second per channel, {@link ChannelPacing}); lines that pile up meanwhile are posted
 *       together (coalesced, {@link ThreadLines}), up to {@value #MAX_BATCH_CHARS} characters.
 *   <li>A run's top message is posted once ({@code chat.postMessage}); later versions replace it
 *       ({@code chat.update}), only the newest is sent. Lines go into its thread, in the order they
 *       were written relative to the top message's versions. A post tried again after a failure
 *       first looks for the card in the channel ({@code conversations.history}), so an answer lost
 *       after Slack posted makes no second card.
 *   <li>HTTP 429: the method (workspace-wide) and the channel wait for {@code Retry-After} ({@link
 *       SlackRateLimits}). HTTP 5xx or no answer: the channel backs off and tries again; nothing is
 *       dropped. Slack refusing a message ({@code ok:false}) is retried {@value #MAX_ATTEMPTS}
 *       times, then given up and logged; errors the same call would get again ({@link #PERMANENT},
 *       {@code missing_scope}, ...) are given up at once.
 *   <li>A run's top message given up: the run is marked refused in its channel, {@link
 *       Undeliverable} is told, and nothing more of the run is sent there; lines are never posted
 *       top-level.
 *   <li>Once, with several replicas: it sends only messages it {@linkplain OutboxStore#claim
 *       claimed}, so when two processes drain around a hand-over of the outbox lease, each message
 *       is sent by one.
 *   <li>Bounded: it keeps state only for channels it is posting in (an idle channel whose wait is
 *       over is forgotten); delivered messages are deleted after {@link #KEEP_DELIVERED} (looked at
 *       every {@link #PURGE_EVERY}).
 * </ul>
 *
 * <p>What to send next in a channel is the {@link DeliveryPlanner}'s; this class makes the calls,
 * reads Slack's answers and keeps the pace.
 */
public final class SlackPoster implements AutoCloseable {

  static final int MAX_BATCH_CHARS = ThreadLines.MAX_BATCH_CHARS;
  static final int MAX_ATTEMPTS = 5;

  /** Messages of one run read for one call: more than a call can carry. */
  static final int MAX_READ = 200;

  /**
   * Messages arriving within this time of each other are read in one pass (an approval's note and
   * the first step's line go out together), waiting at most {@value #MAX_DEBOUNCE_MILLIS} ms.
   */
  static final long DEBOUNCE_MILLIS = 30;

  static final long MAX_DEBOUNCE_MILLIS = 100;

  /** Delivered messages are kept this long (for inspection), then deleted. */
  static final Duration KEEP_DELIVERED = Duration.ofDays(7);

  /**
   * How long the messages of one call are claimed ({@link OutboxStore#claim}) for this poster:
   * longer than any call takes (a file upload is at most 30 s of upload between two API calls).
   */
  static final Duration CLAIM = Duration.ofMinutes(2);

  /** How often delivered messages older than {@link #KEEP_DELIVERED} are deleted. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(SlackPoster.class);

  /** Slack errors that the same call will get again: given up at once, not retried. */
  static final java.util.Set<String> PERMANENT =
      java.util.Set.of(
          "channel_not_found",
          "not_in_channel",
          "is_archived",
          "msg_too_long",
          "invalid_blocks",
          "invalid_blocks_format",
          "no_text",
          "restricted_action",
          "message_not_found",
          "cant_update_message",
          "edit_window_closed",
          "invalid_arguments");

  /** Hears of a run whose top message Slack refused for good (so that others can be told). */
  @FunctionalInterface
  public interface Undeliverable {
    /** {@code head} is the newest version of the top message that could not be posted. */
    void headRefused(OutboxStore.Message head, String error);
  }

  private final OutboxStore outbox;
  private final Duration minInterval;
  private final SlackMetrics metrics;
  private final java.util.function.BooleanSupplier mayDrain;
  private final Clock clock;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final Undeliverable undeliverable;
  private final ChannelPacing pacing;
  private final DeliveryPlanner planner;
  private Instant nextPurge = Instant.MIN;
  private final String holder = "poster-" + java.util.UUID.randomUUID();
  private final Semaphore signal = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public SlackPoster(
      OutboxStore outbox,
      MethodsClient slack,
      Duration minInterval,
      Duration maxBackoff,
      SlackMetrics metrics) {
    this(outbox, slack, minInterval, maxBackoff, metrics, () -> true);
  }

  /**
   * {@code mayDrain} says whether this process drains the outbox now (a lease among replicas);
   * messages stored meanwhile wait for the process that does.
   */
  public SlackPoster(
      OutboxStore outbox,
      MethodsClient slack,
      Duration minInterval,
      Duration maxBackoff,
      SlackMetrics metrics,
      java.util.function.BooleanSupplier mayDrain) {
    this(outbox, slack, minInterval, maxBackoff, metrics, mayDrain, Clock.systemUTC());
  }

  /**
   * As above, on {@code clock}: it decides when a channel may be called again (the interval between
   * posts, {@code Retry-After}, back-off), so tests drive {@link #drainOnce()} without waiting.
   */
  public SlackPoster(
      OutboxStore outbox,
      MethodsClient slack,
      Duration minInterval,
      Duration maxBackoff,
      SlackMetrics metrics,
      java.util.function.BooleanSupplier mayDrain,
      Clock clock) {
    this(
        outbox,
        slack,
        minInterval,
        maxBackoff,
        metrics,
        mayDrain,
        clock,
        new SlackRateLimits(clock),
        new SlackHealth(),
        (head, error) -> {});
  }

  /**
   * As above, sharing {@code limits} (Retry-After per method and channel) and {@code health} with
   * the rest of the bot; {@code undeliverable} hears of a run whose top message Slack refused for
   * good.
   */
  public SlackPoster(
      OutboxStore outbox,
      MethodsClient slack,
      Duration minInterval,
      Duration maxBackoff,
      SlackMetrics metrics,
      java.util.function.BooleanSupplier mayDrain,
      Clock clock,
      SlackRateLimits limits,
      SlackHealth health,
      Undeliverable undeliverable) {
    this.limits = limits;
    this.health = health;
    this.undeliverable = undeliverable;
    this.clock = clock;
    this.mayDrain = mayDrain;
    this.outbox = outbox;
    this.minInterval = minInterval;
    this.metrics = metrics;
    this.pacing = new ChannelPacing(minInterval, maxBackoff);
    this.planner =
        new DeliveryPlanner(
            outbox,
            slack,
            new PostedCards(slack, limits, metrics, health),
            new ThreadFileUpload(slack));
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "slack-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  /** Something was added to the outbox. */
  public void wake() {
    signal.release();
  }

  private void loop() {
    while (running) {
      try {
        drainOnce();
        boolean woken =
            signal.tryAcquire(
                Math.max(10, Math.min(200, minInterval.toMillis())), TimeUnit.MILLISECONDS);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_DEBOUNCE_MILLIS);
        while (woken
            && System.nanoTime() < until
            && signal.tryAcquire(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) {
          // more is arriving: read it in the same pass
        }
        signal.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Slack outbox: {}", e.toString());
        try {
          // a pause before the next pass, cut short when something is added
          signal.tryAcquire(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * One pass: at most one Slack call per channel that may be called now. Returns calls made. Also
   * forgets idle channels and, every {@link #PURGE_EVERY}, deletes old delivered messages.
   */
  public synchronized int drainOnce() {
    if (!mayDrain.getAsBoolean()) {
      return 0;
    }
    int calls = 0;
    Instant now = clock.instant();
    List<String> channels = outbox.pendingChannels();
    for (String channel : channels) {
      if (!pacing.mayCall(channel, now)) {
        continue;
      }
      List<OutboxStore.Message> queue = outbox.next(channel, MAX_READ);
      if (!queue.isEmpty() && deliverNext(channel, queue)) {
        calls++;
      }
    }
    pacing.forgetIdle(channels, now);
    if (!now.isBefore(nextPurge)) {
      nextPurge = now.plus(PURGE_EVERY);
      int purged = outbox.purgeDelivered(now.minus(KEEP_DELIVERED));
      if (purged > 0) {
        log.debug(
            "Slack outbox: deleted {} messages delivered over {} ago", purged, KEEP_DELIVERED);
      }
    }
    return calls;
  }

  /** How many channels the poster holds pacing state for (bounded by those it posts in). */
  int channelsTracked() {
    return pacing.channels();
  }

  /** Sends the channel's next message(s); false when no call was made (waiting, dropped). */
  private boolean deliverNext(String channel, List<OutboxStore.Message> queue) {
    var planned = planner.plan(channel, queue);
    if (planned.isEmpty()) {
      return false;
    }
    DeliveryPlanner.Delivery delivery = planned.get();
    String method = delivery.method();
    if (!limits.mayCall(method, channel)
        || method.startsWith("files.")
            && !limits.mayCall("files.completeUploadExternal", channel)) {
      return false;
    }
    List<Long> ids = delivery.batch().stream().map(OutboxStore.Message::id).toList();
    if (!outbox.claim(ids, holder, clock.instant().plus(CLAIM))) {
      return false; // another process is sending them
    }
    send(channel, delivery);
    return true;
  }

  private void send(String channel, DeliveryPlanner.Delivery delivery) {
    String method = delivery.method();
    List<OutboxStore.Message> batch = delivery.batch();
    List<Long> ids = batch.stream().map(OutboxStore.Message::id).toList();
    Instant now = clock.instant();
    try {
      SlackApiTextResponse response = delivery.call().run();
      if (response.isOk()) {
        outbox.delivered(ids);
        health.fine(method);
        pacing.succeeded(channel, now);
      } else {
        String error = response.getError();
        metrics.slackError(method, error);
        boolean permanent = PERMANENT.contains(error) || SlackHealth.configurationError(error);
        if (SlackHealth.configurationError(error)) {
          health.problem(method, error, response.getNeeded());
        }
        boolean giveUp = permanent || batch.get(0).attempts() + 1 >= MAX_ATTEMPTS;
        outbox.failed(ids, error, giveUp);
        if (giveUp) {
          log.warn("Slack refused {} in {}: {}; given up", method, channel, error);
          if (delivery.firstPost()) {
            OutboxStore.Message head = batch.get(batch.size() - 1);
            outbox.refuseThread(head.runId(), channel, error);
            undeliverable.headRefused(head, error);
          }
        }
        pacing.failed(channel, now);
      }
    } catch (SlackApiException e) {
      int code = e.getResponse().code();
      metrics.slackError(method, String.valueOf(code));
      if (code == 429) {
        Duration wait = limits.rateLimited(method, channel, e.getResponse().header("Retry-After"));
        pacing.waitUntil(channel, now.plus(wait));
        log.info("Slack rate limit on {} ({}): waiting {}s", method, channel, wait.toSeconds());
      } else {
        outbox.failed(ids, "HTTP " + code, false);
        pacing.failed(channel, now);
      }
    } catch (IOException e) {
      metrics.slackError(method, "io");
      outbox.failed(ids, e.toString(), false);
      pacing.failed(channel, now);
    } catch (RuntimeException e) {
      // e.g. the outbox unreachable mid-call: the claim is released if it can be, else it lapses
      pacing.failed(channel, now);
      try {
        outbox.failed(ids, e.toString(), false);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      throw e;
    }
  }

  /**
   * Stops the poster after its current pass. The thread is woken, never interrupted: an interrupt
   * that lands while it writes the outbox closes H2's file channel, and with it the audit database
   * of the whole process (it failed a restart in SlackOutageIT that way).
   */
  @Override
  public void close() {
    running = false;
    signal.release();
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("Slack outbox: the poster is still in a call after 5 s; it stops after it");
      }
    }
  }
}
