package io.intentbot.bot.chat;

import io.intentbot.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chat that lives in memory, for tests of the command flow: {@link #push} what a user types, read
 * back the reply and each run's thread.
 *
 * <pre>{@code
 * InMemoryChat chat = new InMemoryChat(engine);
 * Reply reply = chat.push("alice", "deploy-app app=web env=production");
 * chat.lines(runId);
 * }</pre>
 */
public final class InMemoryChat implements ThreadSink {

  public static final String SOURCE = "memory";

  private final CommandHandler handler;
  private final List<ThreadUpdate> updates = new ArrayList<>();

  public InMemoryChat(Engine engine) {
    this.handler = new CommandHandler(engine, Mentions.PLAIN);
    engine.addListener(
        new RunThread(
            this, engine.config(), Mentions.PLAIN, RunThread.fromSource(SOURCE), 50, 500));
  }

  /** Handles what {@code user} typed in {@code channel} and returns the private reply. */
  public Reply push(String user, String text) {
    return handler.handle(text, new ChatUser(user, "memory-room", SOURCE));
  }

  @Override
  public synchronized void accept(ThreadUpdate update) {
    updates.add(update);
  }

  public synchronized List<ThreadUpdate> thread(String runId) {
    return updates.stream().filter(u -> u.run().id().equals(runId)).toList();
  }

  /** The run's top message as last updated. */
  public synchronized Optional<RunHead> head(String runId) {
    RunHead last = null;
    for (ThreadUpdate u : thread(runId)) {
      if (u instanceof ThreadUpdate.Head h) {
        last = h.head();
      }
    }
    return Optional.ofNullable(last);
  }

  /** The lines below the run's top message, in order. */
  public synchronized List<String> lines(String runId) {
    List<String> lines = new ArrayList<>();
    for (ThreadUpdate u : thread(runId)) {
      if (u instanceof ThreadUpdate.Line l) {
        lines.add(l.text());
      }
    }
    return lines;
  }
}
