package io.intentbot.bot.slack;

import io.intentbot.bot.chat.ThreadSink;
import io.intentbot.bot.chat.ThreadUpdate;
import io.intentbot.engine.model.RunRecord;
import java.util.function.Predicate;

/**
 * Stores a run's thread updates in the {@link OutboxStore} (never calls Slack) and wakes the {@link
 * SlackPoster}. Runs without a {@code channel} in their origin are not posted. What is stored is
 * final Slack text: notes as {@link SlackText#mrkdwn} (the thread's mentions come from a {@link
 * io.intentbot.bot.chat.RunThread} given {@link SlackText#MENTIONS}), output lines escaped, every
 * message within {@link SlackLimits}. Nothing here reacts to what a line says: output is quoted as
 * output, and the break-glass alert comes from the run's event ({@link BreakGlassAlerts}).
 */
public final class SlackThreadSink implements ThreadSink {

  private final OutboxStore outbox;
  private final Runnable wake;
  private final Predicate<RunRecord> confirm;

  public SlackThreadSink(OutboxStore outbox, Runnable wake) {
    this(outbox, wake, run -> false);
  }

  /** {@code confirm}: which runs' approval buttons ask to confirm (protected, destructive). */
  public SlackThreadSink(OutboxStore outbox, Runnable wake, Predicate<RunRecord> confirm) {
    this.outbox = outbox;
    this.wake = wake;
    this.confirm = confirm;
  }

  /** An approval card, or the run's final top message (its result): ahead of step output. */
  static boolean urgent(io.intentbot.bot.chat.RunHead head) {
    return head.awaitingApproval() || head.run().status().isTerminal();
  }

  @Override
  public void accept(ThreadUpdate update) {
    var run = update.run();
    String channel = run.origin().get("channel");
    if (channel == null) {
      return;
    }
    if (update instanceof ThreadUpdate.Head h) {
      outbox.add(
          run.id(),
          channel,
          OutboxStore.Kind.HEAD,
          urgent(h.head()) ? OutboxStore.Priority.URGENT : OutboxStore.Priority.ORDINARY,
          SlackBlocks.fallback(h.head()),
          SlackBlocks.head(h.head(), confirm.test(run)));
    } else if (update instanceof ThreadUpdate.Line l) {
      boolean output = l.kind() == ThreadUpdate.LineKind.OUTPUT;
      String line =
          l.kind() == ThreadUpdate.LineKind.OUTPUT_CUT ? OutputFiles.note(l.hidden()) : l.text();
      String text =
          SlackLimits.cut(
              output ? SlackText.escape(SlackText.plain(line)) : SlackText.mrkdwn(line),
              SlackPoster.MAX_BATCH_CHARS);
      outbox.add(
          run.id(), channel, output ? OutboxStore.Kind.OUTPUT : OutboxStore.Kind.NOTE, text, null);
    }
    wake.run();
  }
}
