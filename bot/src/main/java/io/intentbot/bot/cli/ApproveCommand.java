package io.intentbot.bot.cli;

import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intentbot approve RUN --as USER}: approves and, once approved, runs it here. */
@Command(
    name = "approve",
    description =
        "Approve a run waiting for approval; when enough approvals are in, it runs here and this command follows it.")
final class ApproveCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN")
  String runId;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description = "the approver, for operating-system users in trusted_os_users (default: $USER)")
  String as;

  @Override
  public Integer call() throws Exception {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.engine();
      TerminalThread.followRun(engine, runId, out(), err());
      engine.start();
      engine.recoverInterrupted();
      Actor actor = actor(boot, engine, as);
      if (actor == null) {
        return ExitCode.REFUSED;
      }
      SignalTrap.cancelling(engine, actor.user(), "approve", err());
      Decision decision = engine.approve(runId, actor);
      if (!decision.accepted()) {
        err().println("refused: " + OutcomeText.PLAIN.decision(decision));
        return decision.run() == null
                || ((Decision.Refused) decision).reason() instanceof Refusal.IntentNotLoaded
            ? ExitCode.INVALID
            : ExitCode.REFUSED;
      }
      out().println(OutcomeText.PLAIN.decision(decision));
      if (decision.run().status() == RunStatus.WAITING_APPROVAL) {
        return ExitCode.WAITING_FOR_APPROVAL;
      }
      return RunCommand.finish(engine, runId, out(), err());
    }
  }
}
