package io.intentbot.bot.cli;

import io.intentbot.bot.console.ConsoleSession;
import io.intentbot.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code intentbot console [--as USER]}: a local chat on the terminal. */
@Command(
    name = "console",
    description =
        "A local chat: type what you would type after /intent (help, list, describe, deploy-app app=web env=sandbox, ...).")
final class ConsoleCommand extends BaseCommand {

  @Option(
      names = "--as",
      paramLabel = "USER",
      description = "who you are in the chat (default: $USER)")
  String as;

  @Override
  public Integer call() throws Exception {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.engine();
      ConsoleSession session = new ConsoleSession(engine, user(as), System.in, System.out);
      engine.start();
      engine.recoverInterrupted();
      if (!engine.catalog().problems().isEmpty()) {
        err()
            .println(
                engine.catalog().problems().size()
                    + " problems in intent files; `intentbot lint` shows them");
      }
      return session.run();
    }
  }
}
