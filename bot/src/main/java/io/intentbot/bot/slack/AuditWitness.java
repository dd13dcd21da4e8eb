package io.intentbot.bot.slack;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.ChainHead;
import io.intentbot.engine.config.IntentbotConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit chain's outside witness: posts each new head ({@code SEQ:HASH}, as {@code intentbot
 * audit head} prints it) to the channel config's {@code slack.audit_channel} names, through the
 * outbox. The channel's history is then a record the database's writers cannot reach: {@code
 * intentbot audit verify --expect-head SEQ:HASH} with the newest head posted there finds a deleted
 * tail. Like the other background duties it runs on one replica at a time.
 *
 * <pre>{@code
 * slack:
 *   audit_channel: C01AUDIT   # private, the bot a member, its writers not the database's
 * }</pre>
 */
public final class AuditWitness {

  /** The background duty that posts heads (one replica at a time). */
  public static final String DUTY = "audit-witness";

  /** The outbox's run id for the posts: they belong to no run. */
  static final String OUTBOX_KEY = "audit-head";

  private static final Logger LOG = LoggerFactory.getLogger(AuditWitness.class);

  private final Supplier<ChainHead> head;
  private final OutboxStore outbox;
  private final String channel;
  private ChainHead posted;

  public AuditWitness(Supplier<ChainHead> head, OutboxStore outbox, String channel) {
    this.head = head;
    this.outbox = outbox;
    this.channel = channel;
  }

  /** Config's {@code slack.audit_channel}, if set. */
  public static Optional<String> channel(IntentbotConfig config) {
    Object value = config.section("slack").get("audit_channel");
    return value == null || String.valueOf(value).isBlank()
        ? Optional.empty()
        : Optional.of(String.valueOf(value).strip());
  }

  /**
   * When config names {@code slack.audit_channel}: posts the engine's audit head there every 2 s
   * that it moved, while this process leads {@link #DUTY}; returns what stops it (also a daemon
   * thread: it ends with the process).
   */
  public static Optional<AutoCloseable> start(Engine engine, OutboxStore outbox) {
    return channel(engine.config())
        .map(
            channel ->
                new AuditWitness(engine.audit()::head, outbox, channel)
                    .every(Duration.ofSeconds(2), () -> engine.leadership().mayRun(DUTY)));
  }

  /**
   * Posts the head if it moved since this witness last posted it (the first call posts it unless
   * nothing is sealed yet); returns the head it posted.
   */
  public synchronized Optional<ChainHead> witness() {
    ChainHead now = head.get();
    if (now.seq() == 0 || now.equals(posted)) {
      return Optional.empty();
    }
    outbox.add(OUTBOX_KEY, channel, OutboxStore.Kind.NOTICE, text(now), null);
    posted = now;
    return Optional.of(now);
  }

  /** Calls {@link #witness} every {@code interval} while {@code leading} says so. */
  AutoCloseable every(Duration interval, BooleanSupplier leading) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "intentbot-audit-witness");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (leading.getAsBoolean()) {
              witness();
            }
          } catch (RuntimeException e) {
            LOG.warn("audit witness: cannot post the audit head: {}", e.getMessage());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return timer::shutdownNow;
  }

  /** The message: the head, and the command that checks the chain against it. */
  static String text(ChainHead head) {
    return "audit head `"
        + head
        + "`: check the record with `intentbot audit verify --expect-head "
        + head
        + "`";
  }
}
