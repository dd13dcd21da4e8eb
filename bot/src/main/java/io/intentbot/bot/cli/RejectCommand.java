package io.intentbot.bot.cli;

import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intentbot reject RUN --as USER [--reason TEXT]}. */
@Command(name = "reject", description = "Reject a run waiting for approval.")
final class RejectCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN")
  String runId;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description = "who rejects, for operating-system users in trusted_os_users (default: $USER)")
  String as;

  @Option(names = "--reason", paramLabel = "TEXT")
  String reason;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.startedEngine();
      Actor actor = actor(boot, engine, as);
      if (actor == null) {
        return ExitCode.REFUSED;
      }
      Decision decision = engine.reject(runId, actor, reason);
      if (!decision.accepted()) {
        err().println("refused: " + OutcomeText.PLAIN.decision(decision));
        return decision.run() == null
                || ((Decision.Refused) decision).reason() instanceof Refusal.IntentNotLoaded
            ? ExitCode.INVALID
            : ExitCode.REFUSED;
      }
      out().println(OutcomeText.PLAIN.decision(decision));
      return ExitCode.SUCCEEDED;
    }
  }
}
