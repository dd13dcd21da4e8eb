package io.intentbot.bot.cli;

import io.intentbot.bot.chat.BrokenIntents;
import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.Submission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code intentbot run INTENT key=value… [--dry-run] [--as USER]}: one run, same engine and policy.
 */
@Command(
    name = "run",
    description = {
      "Run one intent, from a terminal or a pipeline, under the same policy as chat.",
      "Exit codes: 0 succeeded, 1 failed, 2 invalid input, 3 waiting for approval (prints the run id), 4 refused."
    })
final class RunCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "INTENT", description = "intent name (`intentbot list`)")
  String intent;

  @Parameters(index = "1..*", paramLabel = "key=value", description = "parameters")
  List<String> arguments = new ArrayList<>();

  @Option(names = "--dry-run", description = "show the plan, change nothing")
  boolean dryRun;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description =
          "requester, for operating-system users in trusted_os_users (default: $USER as identities: maps it)")
  String as;

  @Option(
      names = "--break-glass",
      paramLabel = "REASON",
      description =
          "skip the wait for approval where the environment allows it; the reason is recorded and announced")
  String breakGlass;

  @Override
  public Integer call() throws Exception {
    try (Bootstrap boot = bootstrap()) {
      Engine engine = boot.engine();
      String session = UUID.randomUUID().toString();
      TerminalThread.follow(engine, session, out(), err());
      engine.start();
      engine.recoverInterrupted();
      BrokenIntents.print(engine.catalog(), err());
      Actor actor = actor(boot, engine, as);
      if (actor == null) {
        return ExitCode.REFUSED;
      }
      SignalTrap.cancelling(engine, actor.user(), "run", err());
      Map<String, String> origin = new LinkedHashMap<>(actor.origin());
      origin.put("cli_session", session);
      RunRequest request =
          new RunRequest(intent, arguments, actor.user(), dryRun, breakGlass, origin);
      Submission submission = engine.submit(request);
      if (submission instanceof Submission.Invalid invalid) {
        invalid.errors().forEach(e -> err().println("error: " + e));
        return ExitCode.INVALID;
      }
      if (submission instanceof Submission.Refused refused) {
        err().println("refused: " + OutcomeText.PLAIN.refusal(refused.reason()));
        return ExitCode.REFUSED;
      }
      if (submission instanceof Submission.Planned planned) {
        out()
            .println(
                "dry run of " + intent + " (run " + planned.run().id() + "), nothing will change:");
        out().print(planned.plan().describe());
        out().println("plan hash " + planned.plan().hash());
        if (!planned.plan().complete()) {
          err().println("error: " + OutcomeText.PLAIN.incomplete(planned.plan()));
          return ExitCode.FAILED;
        }
        return ExitCode.SUCCEEDED;
      }
      if (submission instanceof Submission.AwaitingApproval waiting) {
        err().print(waiting.plan().describe());
        err()
            .println(
                "run "
                    + waiting.run().id()
                    + " waits for approval in "
                    + waiting.run().environment()
                    + "; approve with: intentbot approve "
                    + waiting.run().id()
                    + " (as an approver, where approval.from includes cli) or in Slack");
        out().println(waiting.run().id());
        return ExitCode.WAITING_FOR_APPROVAL;
      }
      RunRecord started = ((Submission.Started) submission).run();
      return finish(engine, started.id(), out(), err());
    }
  }

  /** Waits for a run, prints how it ended and returns its exit code. */
  static int finish(Engine engine, String runId, java.io.PrintWriter out, java.io.PrintWriter err)
      throws InterruptedException {
    RunRecord run = engine.awaitFinished(runId, Duration.ofDays(1)).orElseThrow();
    String line =
        "run "
            + run.id()
            + " "
            + run.status().label()
            + (run.reason() == null ? "" : ": " + run.reason());
    switch (run.status()) {
      case SUCCEEDED -> {
        out.println(line);
        run.outputs().forEach((k, v) -> out.println("  " + k + " = " + v));
        return ExitCode.SUCCEEDED;
      }
      case WAITING_APPROVAL -> {
        out.println(line);
        return ExitCode.WAITING_FOR_APPROVAL;
      }
      default -> {
        err.println(line);
        return ExitCode.FAILED;
      }
    }
  }
}
