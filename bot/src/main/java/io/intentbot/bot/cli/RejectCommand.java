package io.intentbot.bot.cli;

import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.model.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intentbot reject RUN --as USER [--reason TEXT]}. */
@Command(name = "reject", description = "Reject a run waiting for approval.")
final class RejectCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN")
  String runId;

  @Option(names = "--as", paramLabel = "USER", required = true)
  String as;

  @Option(names = "--reason", paramLabel = "TEXT")
  String reason;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      Decision decision = boot.startedEngine().reject(runId, as, reason);
      if (!decision.accepted()) {
        err().println("refused: " + OutcomeText.PLAIN.decision(decision));
        return decision.run() == null ? ExitCode.INVALID : ExitCode.REFUSED;
      }
      out().println(OutcomeText.PLAIN.decision(decision));
      return ExitCode.SUCCEEDED;
    }
  }
}
