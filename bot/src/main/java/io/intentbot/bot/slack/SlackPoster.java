package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the {@link OutboxStore} to Slack in the background, so that a run never waits on Slack.
 *
 * <ul>
 *   <li>At most one call per channel every {@code minInterval} (Slack allows about one message per
 *       second per channel); lines that pile up meanwhile are posted together (coalesced), up to
 *       {@value #MAX_BATCH_CHARS} characters.
 *   <li>A run's top message is posted once ({@code chat.postMessage}); later versions replace it
 *       ({@code chat.update}), only the newest is sent. Lines go into its thread.
 *   <li>HTTP 429: the channel waits for {@code Retry-After}. HTTP 5xx or no answer: the channel
 *       backs off and tries again; nothing is dropped. Slack refusing a message ({@code ok:false})
 *       is retried {@value #MAX_ATTEMPTS} times, then given up and logged.
 * </ul>
 */
public final class SlackPoster implements AutoCloseable {

  static final int MAX_BATCH_CHARS = 3500;
  static final int MAX_BATCH_LINES = 60;
  static final int MAX_ATTEMPTS = 5;

  /** Lines arriving within this time of each other are read in one pass. */
  static final long DEBOUNCE_MILLIS = 10;

  /** Delivered messages are kept this long (for inspection), then deleted. */
  static final Duration KEEP_DELIVERED = Duration.ofDays(7);

  private static final Logger log = LoggerFactory.getLogger(SlackPoster.class);

  private final OutboxStore outbox;
  private final MethodsClient slack;
  private final Duration minInterval;
  private final Duration maxBackoff;
  private final SlackMetrics metrics;
  private final java.util.function.BooleanSupplier mayDrain;
  private final Clock clock;
  private final Map<String, Instant> nextAllowed = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
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
    this.clock = clock;
    this.mayDrain = mayDrain;
    this.outbox = outbox;
    this.slack = slack;
    this.minInterval = minInterval;
    this.maxBackoff = maxBackoff;
    this.metrics = metrics;
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
        signal.tryAcquire(
            Math.max(10, Math.min(200, minInterval.toMillis())), TimeUnit.MILLISECONDS);
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

  /** One pass: at most one Slack call per channel that may be called now. Returns calls made. */
  public synchronized int drainOnce() {
    if (!mayDrain.getAsBoolean()) {
      return 0;
    }
    List<OutboxStore.Message> pending = outbox.pending(1000);
    Map<String, List<OutboxStore.Message>> byChannel = new LinkedHashMap<>();
    for (OutboxStore.Message m : pending) {
      byChannel.computeIfAbsent(m.channel(), c -> new ArrayList<>()).add(m);
    }
    int calls = 0;
    Instant now = clock.instant();
    for (var entry : byChannel.entrySet()) {
      String channel = entry.getKey();
      if (now.isBefore(nextAllowed.getOrDefault(channel, Instant.MIN))) {
        continue;
      }
      calls++;
      deliverNext(channel, entry.getValue());
    }
    return calls;
  }

  private void deliverNext(String channel, List<OutboxStore.Message> queue) {
    OutboxStore.Message first = queue.get(0);
    List<OutboxStore.Message> ofRun =
        queue.stream()
            .filter(m -> m.runId().equals(first.runId()) && m.kind() != OutboxStore.Kind.NOTICE)
            .toList();
    List<OutboxStore.Message> heads =
        ofRun.stream().filter(m -> m.kind() == OutboxStore.Kind.HEAD).toList();
    var thread = outbox.thread(first.runId());
    List<OutboxStore.Message> batch;
    String method;
    Call call;
    if (first.kind() == OutboxStore.Kind.NOTICE) {
      batch = List.of(first);
      method = "chat.postMessage";
      call = () -> slack.chatPostMessage(r -> r.channel(channel).text(first.body()));
    } else if (!heads.isEmpty()) {
      OutboxStore.Message newest = heads.get(heads.size() - 1);
      batch = heads;
      if (thread.isEmpty()) {
        method = "chat.postMessage";
        call =
            () -> {
              var response =
                  slack.chatPostMessage(
                      r -> r.channel(channel).text(newest.body()).blocksAsString(newest.blocks()));
              if (response.isOk()) {
                outbox.saveThread(
                    first.runId(),
                    response.getChannel() == null ? channel : response.getChannel(),
                    response.getTs());
              }
              return response;
            };
      } else {
        String ts = thread.get().ts();
        String threadChannel = thread.get().channel();
        method = "chat.update";
        call =
            () ->
                slack.chatUpdate(
                    r ->
                        r.channel(threadChannel)
                            .ts(ts)
                            .text(newest.body())
                            .blocksAsString(newest.blocks()));
      }
    } else {
      batch = lineBatch(ofRun);
      String text = render(batch);
      String ts = thread.map(OutboxStore.ThreadRef::ts).orElse(null);
      method = "chat.postMessage";
      call =
          () -> slack.chatPostMessage(r -> r.channel(channel).threadTs(ts).text(text).mrkdwn(true));
    }
    send(channel, method, batch, call);
  }

  @FunctionalInterface
  private interface Call {
    SlackApiTextResponse run() throws IOException, SlackApiException;
  }

  private void send(String channel, String method, List<OutboxStore.Message> batch, Call call) {
    List<Long> ids = batch.stream().map(OutboxStore.Message::id).toList();
    Instant now = clock.instant();
    try {
      SlackApiTextResponse response = call.run();
      if (response.isOk()) {
        outbox.delivered(ids);
        failures.remove(channel);
        nextAllowed.put(channel, now.plus(minInterval));
      } else {
        metrics.slackError(method, response.getError());
        boolean giveUp = batch.get(0).attempts() + 1 >= MAX_ATTEMPTS;
        outbox.failed(ids, response.getError(), giveUp);
        if (giveUp) {
          log.warn("Slack refused {} in {}: {}; given up", method, channel, response.getError());
        }
        backoff(channel, now);
      }
    } catch (SlackApiException e) {
      int code = e.getResponse().code();
      metrics.slackError(method, String.valueOf(code));
      if (code == 429) {
        long seconds = retryAfter(e.getResponse().header("Retry-After"));
        nextAllowed.put(channel, now.plusSeconds(seconds));
        log.info("Slack rate limit on {}: waiting {}s", channel, seconds);
      } else {
        outbox.failed(ids, "HTTP " + code, false);
        backoff(channel, now);
      }
    } catch (IOException e) {
      metrics.slackError(method, "io");
      outbox.failed(ids, e.toString(), false);
      backoff(channel, now);
    }
  }

  private void backoff(String channel, Instant now) {
    int n = failures.merge(channel, 1, Integer::sum);
    long millis = Math.min(maxBackoff.toMillis(), minInterval.toMillis() * (1L << Math.min(n, 16)));
    nextAllowed.put(channel, now.plusMillis(Math.max(millis, 10)));
  }

  private static long retryAfter(String header) {
    try {
      return Math.max(0, Long.parseLong(header == null ? "1" : header.strip()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static List<OutboxStore.Message> lineBatch(List<OutboxStore.Message> ofRun) {
    List<OutboxStore.Message> batch = new ArrayList<>();
    int chars = 0;
    for (OutboxStore.Message m : ofRun) {
      if (m.kind() == OutboxStore.Kind.HEAD) {
        continue;
      }
      if (!batch.isEmpty()
          && (chars + m.body().length() > MAX_BATCH_CHARS || batch.size() >= MAX_BATCH_LINES)) {
        break;
      }
      batch.add(m);
      chars += m.body().length() + 8;
    }
    return batch;
  }

  /** Notes as prose, runs of output lines as one preformatted block. */
  static String render(List<OutboxStore.Message> batch) {
    StringBuilder text = new StringBuilder();
    boolean inCode = false;
    for (OutboxStore.Message m : batch) {
      boolean output = m.kind() == OutboxStore.Kind.OUTPUT;
      if (output && !inCode) {
        text.append("```\n");
        inCode = true;
      } else if (!output && inCode) {
        text.append("```\n");
        inCode = false;
      }
      text.append(output ? m.body().replace("```", "'''") : m.body()).append('\n');
    }
    if (inCode) {
      text.append("```\n");
    }
    return text.toString().stripTrailing();
  }

  @Override
  public void close() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
