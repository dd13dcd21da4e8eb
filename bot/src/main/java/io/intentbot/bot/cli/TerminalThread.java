package io.intentbot.bot.cli;

import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.RunThread;
import io.intentbot.bot.chat.ThreadSink;
import io.intentbot.bot.chat.ThreadUpdate;
import io.intentbot.engine.Engine;
import java.io.PrintWriter;

/**
 * Prints the runs this CLI process started, as a chat thread would show them: the state line when
 * it changes and every note on {@code err} (progress), the steps' output lines on {@code out}, so
 * that a script reading stdout gets the steps' output and the result, and nothing else.
 */
final class TerminalThread implements ThreadSink {

  private final PrintWriter out;
  private final PrintWriter err;
  private String lastState;

  private TerminalThread(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** Follows runs whose origin carries {@code cli_session=session}. */
  static void follow(Engine engine, String session, PrintWriter out, PrintWriter err) {
    engine.addListener(
        new RunThread(
            new TerminalThread(out, err),
            engine.config(),
            Mentions.PLAIN,
            run -> session.equals(run.origin().get("cli_session")),
            100_000,
            100_000));
  }

  /** Follows one run by id, whoever started it. */
  static void followRun(Engine engine, String runId, PrintWriter out, PrintWriter err) {
    engine.addListener(
        new RunThread(
            new TerminalThread(out, err),
            engine.config(),
            Mentions.PLAIN,
            run -> run.id().equals(runId),
            100_000,
            100_000));
  }

  @Override
  public synchronized void accept(ThreadUpdate update) {
    if (update instanceof ThreadUpdate.Head head) {
      String state = head.head().state();
      if (!state.equals(lastState)) {
        lastState = state;
        err.println("[" + update.run().id() + "] " + state);
      }
    } else if (update instanceof ThreadUpdate.Line line) {
      if (line.kind() == ThreadUpdate.LineKind.OUTPUT) {
        out.println("    | " + line.text());
      } else {
        err.println("  " + line.text());
      }
    }
    out.flush();
    err.flush();
  }
}
