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
 *   <li>Fair and prioritised: each pass visits every channel with something to post, those with an
 *       approval card, a final result or a notice first, and makes at most one call in each, so a
 *       busy channel never delays another. In a channel, the run with the most urgent message is
 *       served next ({@link OutboxStore#next}): a card or a final result goes ahead of other runs'
 *       step output; a run's own messages keep their order.
 *   <li>At most one call per channel every {@code minInterval} (Slack allows about one message per
 *       second per channel); lines that pile up meanwhile are posted together (coalesced), up to
 *       {@value #MAX_BATCH_CHARS} characters.
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
 * </ul>
 */
public final class SlackPoster implements AutoCloseable {

  static final int MAX_BATCH_CHARS = 3500;
  static final int MAX_BATCH_LINES = 60;
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
  private final MethodsClient slack;
  private final Duration minInterval;
  private final Duration maxBackoff;
  private final SlackMetrics metrics;
  private final java.util.function.BooleanSupplier mayDrain;
  private final Clock clock;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final Undeliverable undeliverable;
  private final Map<String, Instant> nextAllowed = new HashMap<>();
  private final java.net.http.HttpClient uploads =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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

  /** One pass: at most one Slack call per channel that may be called now. Returns calls made. */
  public synchronized int drainOnce() {
    if (!mayDrain.getAsBoolean()) {
      return 0;
    }
    int calls = 0;
    Instant now = clock.instant();
    for (String channel : outbox.pendingChannels()) {
      if (now.isBefore(nextAllowed.getOrDefault(channel, Instant.MIN))) {
        continue;
      }
      List<OutboxStore.Message> queue = outbox.next(channel, MAX_READ);
      if (!queue.isEmpty() && deliverNext(channel, queue)) {
        calls++;
      }
    }
    return calls;
  }

  /** Sends the channel's next message(s); false when no call was made (waiting, dropped). */
  private boolean deliverNext(String channel, List<OutboxStore.Message> queue) {
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
    boolean firstPost = false;
    if (first.kind() == OutboxStore.Kind.NOTICE) {
      batch = List.of(first);
      method = "chat.postMessage";
      call =
          () ->
              slack.chatPostMessage(
                  r -> {
                    r.channel(channel).text(first.body());
                    return first.blocks() == null ? r : r.blocksAsString(first.blocks());
                  });
    } else if (thread.isPresent() && thread.get().refused()) {
      // Slack refused the top message for good: nothing of this run goes into the channel
      outbox.failed(ofRun.stream().map(OutboxStore.Message::id).toList(), "thread refused", true);
      return false;
    } else if (!heads.isEmpty()
        && (thread.isEmpty() || ofRun.get(0).kind() == OutboxStore.Kind.HEAD)) {
      // the top message first when there is no thread yet, else whatever is oldest: a line
      // written before a newer top message (the approval, the first step) is not kept waiting
      OutboxStore.Message newest = heads.get(heads.size() - 1);
      batch = heads;
      if (thread.isEmpty()) {
        firstPost = true;
        method = "chat.postMessage";
        boolean triedBefore = heads.stream().anyMatch(h -> h.attempts() > 0);
        call =
            () -> {
              if (triedBefore) {
                // a lost answer may hide a card Slack did post: find it instead of a second one
                String posted = alreadyPosted(channel, first.runId());
                if (posted != null) {
                  outbox.saveThread(first.runId(), channel, posted);
                  return slack.chatUpdate(
                      r ->
                          r.channel(channel)
                              .ts(posted)
                              .text(newest.body())
                              .blocksAsString(newest.blocks()));
                }
              }
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
    } else if (thread.isEmpty()) {
      // lines of a run whose top message never made it: never top-level in the channel
      outbox.failed(ofRun.stream().map(OutboxStore.Message::id).toList(), "no thread", true);
      return false;
    } else if (ofRun.get(0).kind() == OutboxStore.Kind.FILE) {
      OutboxStore.Message file = ofRun.get(0);
      batch = List.of(file);
      method = "files.getUploadURLExternal";
      String ts = thread.get().ts();
      call = () -> upload(channel, ts, file);
    } else {
      batch = lineBatch(ofRun);
      String text = SlackLimits.cut(render(batch), SlackLimits.FALLBACK_TEXT);
      String ts = thread.get().ts();
      method = "chat.postMessage";
      call =
          () -> slack.chatPostMessage(r -> r.channel(channel).threadTs(ts).text(text).mrkdwn(true));
    }
    if (!limits.mayCall(method, channel)
        || method.startsWith("files.")
            && !limits.mayCall("files.completeUploadExternal", channel)) {
      return false;
    }
    send(channel, method, batch, call, firstPost);
    return true;
  }

  @FunctionalInterface
  private interface Call {
    SlackApiTextResponse run() throws IOException, SlackApiException;
  }

  private void send(
      String channel,
      String method,
      List<OutboxStore.Message> batch,
      Call call,
      boolean firstPost) {
    List<Long> ids = batch.stream().map(OutboxStore.Message::id).toList();
    Instant now = clock.instant();
    try {
      SlackApiTextResponse response = call.run();
      if (response.isOk()) {
        outbox.delivered(ids);
        failures.remove(channel);
        health.fine(method);
        nextAllowed.put(channel, now.plus(minInterval));
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
          if (firstPost) {
            OutboxStore.Message head = batch.get(batch.size() - 1);
            outbox.refuseThread(head.runId(), channel, error);
            undeliverable.headRefused(head, error);
          }
        }
        backoff(channel, now);
      }
    } catch (SlackApiException e) {
      int code = e.getResponse().code();
      metrics.slackError(method, String.valueOf(code));
      if (code == 429) {
        Duration wait = limits.rateLimited(method, channel, e.getResponse().header("Retry-After"));
        nextAllowed.put(channel, now.plus(wait));
        log.info("Slack rate limit on {} ({}): waiting {}s", method, channel, wait.toSeconds());
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

  /**
   * The ts of the run's top message if Slack already has it in the channel (the bot's recent
   * messages, {@code conversations.history}); null when it is not there or Slack cannot say.
   */
  private String alreadyPosted(String channel, String runId) {
    String method = "conversations.history";
    if (!limits.mayCall(method, channel)) {
      return null;
    }
    try {
      var history = slack.conversationsHistory(r -> r.channel(channel).limit(100));
      if (!history.isOk()) {
        metrics.slackError(method, history.getError());
        if (SlackHealth.configurationError(history.getError())) {
          health.problem(method, history.getError(), history.getNeeded());
        }
        return null;
      }
      health.fine(method);
      String mark = " · run " + SlackText.escape(runId) + " · ";
      for (var message : history.getMessages()) {
        if (message.getBotId() != null
            && message.getThreadTs() == null
            && message.getText() != null
            && message.getText().contains(mark)) {
          return message.getTs();
        }
      }
    } catch (SlackApiException e) {
      if (e.getResponse().code() == 429) {
        limits.rateLimited(method, channel, e.getResponse().header("Retry-After"));
      }
    } catch (IOException e) {
      metrics.slackError(method, "io");
    }
    return null;
  }

  /**
   * A file in three calls: an upload URL, the content POSTed to it, the upload completed into the
   * thread. Slack's refusal of the first or last call is returned as the answer; a failed upload is
   * an IOException (tried again).
   */
  private SlackApiTextResponse upload(String channel, String ts, OutboxStore.Message file)
      throws IOException, SlackApiException {
    var meta = io.intentbot.engine.json.Json.MAPPER.readTree(file.blocks());
    byte[] content = file.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var url =
        slack.filesGetUploadURLExternal(
            r -> r.filename(meta.path("filename").asText("output.txt")).length(content.length));
    if (!url.isOk()) {
      return url;
    }
    try {
      var response =
          uploads.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.getUploadUrl()))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "text/plain; charset=utf-8")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(content))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IOException("file upload answered HTTP " + response.statusCode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("file upload interrupted", e);
    }
    return slack.filesCompleteUploadExternal(
        r ->
            r.files(
                    List.of(
                        com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest
                            .FileDetails.builder()
                            .id(url.getFileId())
                            .title(meta.path("title").asText("output"))
                            .build()))
                .channelId(channel)
                .threadTs(ts));
  }

  private static List<OutboxStore.Message> lineBatch(List<OutboxStore.Message> ofRun) {
    List<OutboxStore.Message> batch = new ArrayList<>();
    int chars = 0;
    for (OutboxStore.Message m : ofRun) {
      if (m.kind() == OutboxStore.Kind.HEAD) {
        continue;
      }
      if (m.kind() == OutboxStore.Kind.FILE) {
        break;
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
