package io.intentbot.bot.cli;

import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intentbot cancel RUN --as USER}: cancels a run waiting for approval or a lock. */
@Command(
    name = "cancel",
    description =
        "Cancel a run that waits for approval or for its lock; a run whose process has stopped is marked interrupted and its lock freed at once (a run of a live process is cancelled there: Ctrl-C, or cancel in its console or in Slack).")
final class CancelCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN")
  String runId;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description = "who cancels, for operating-system users in trusted_os_users (default: $USER)")
  String as;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.startedEngine();
      Actor actor = actor(boot, engine, as);
      if (actor == null) {
        return ExitCode.REFUSED;
      }
      Decision decision = engine.cancel(runId, actor);
      if (!decision.accepted()) {
        err().println("refused: " + OutcomeText.PLAIN.decision(decision));
        return decision.run() == null ? ExitCode.INVALID : ExitCode.REFUSED;
      }
      out().println(OutcomeText.PLAIN.decision(decision));
      return ExitCode.SUCCEEDED;
    }
  }
}
