package io.intentbot.bot.cli;

import io.intentbot.bot.chat.BrokenIntents;
import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.bot.console.ConsoleSession;
import io.intentbot.engine.Engine;
import java.time.Duration;
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
      description =
          "who you are in the chat, for operating-system users in trusted_os_users (default: $USER as identities: maps it)")
  String as;

  @Override
  public Integer call() throws Exception {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.engine();
      TerminalIdentity identity = TerminalIdentity.of(boot.config().access(), env());
      String user = identity.self();
      if (identity.claimsOther(as)) {
        if (!identity.trusted()) {
          engine.start();
          err()
              .println(
                  "refused: "
                      + OutcomeText.PLAIN.refusal(
                          engine.refuseIdentity(identity.actor(ConsoleSession.SOURCE), as)));
          return ExitCode.REFUSED;
        }
        user = as;
      }
      ConsoleSession session =
          new ConsoleSession(
              engine,
              new ChatUser(user, null, ConsoleSession.SOURCE, identity.osUser(), identity.host()),
              identity.trusted(),
              System.in,
              System.out,
              Duration.ofHours(2));
      engine.start();
      ConsoleSession started = session;
      SignalTrap.install(
          caught -> {
            System.out.println();
            SignalTrap.cancel(
                engine, started.user() + " (" + caught.name() + " to intentbot console)", err());
            if (caught.exitCode() > 0) {
              System.exit(caught.exitCode());
            }
          });
      engine.recoverInterrupted();
      BrokenIntents.print(engine.catalog(), err());
      return session.run();
    }
  }
}
