package io.intentbot.bot.slack;

import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.ThreadSink;
import io.intentbot.bot.chat.ThreadUpdate;

/**
 * Stores a run's thread updates in the {@link OutboxStore} (never calls Slack) and wakes the {@link
 * SlackPoster}. Runs without a {@code channel} in their origin are not posted.
 */
public final class SlackThreadSink implements ThreadSink {

  private final OutboxStore outbox;
  private final Runnable wake;
  private final String breakGlassChannel;

  public SlackThreadSink(OutboxStore outbox, Runnable wake, String breakGlassChannel) {
    this.outbox = outbox;
    this.wake = wake;
    this.breakGlassChannel = breakGlassChannel;
  }

  @Override
  public void accept(ThreadUpdate update) {
    var run = update.run();
    String channel = run.origin().get("channel");
    if (channel == null) {
      return;
    }
    if (update instanceof ThreadUpdate.Head h) {
      String text = h.head().text(Mentions.SLACK);
      outbox.add(run.id(), channel, OutboxStore.Kind.HEAD, text, SlackBlocks.head(h.head()));
    } else if (update instanceof ThreadUpdate.Line l) {
      OutboxStore.Kind kind =
          l.kind() == ThreadUpdate.LineKind.OUTPUT
              ? OutboxStore.Kind.OUTPUT
              : OutboxStore.Kind.NOTE;
      outbox.add(run.id(), channel, kind, l.text(), null);
      if (breakGlassChannel != null && l.text().startsWith("BREAK GLASS")) {
        outbox.add(
            run.id(),
            breakGlassChannel,
            OutboxStore.Kind.NOTICE,
            ":rotating_light: " + l.text() + " (run `" + run.id() + "` in <#" + channel + ">)",
            null);
      }
    }
    wake.run();
  }
}
