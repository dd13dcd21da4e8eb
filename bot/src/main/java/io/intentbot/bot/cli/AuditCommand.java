package io.intentbot.bot.cli;

import io.intentbot.engine.audit.VerifyResult;
import picocli.CommandLine.Command;

/** {@code intentbot audit verify}: recomputes the hash chain over every finished run. */
@Command(
    name = "audit",
    description = "Audit store tools.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      description =
          "Report any finished run's record edited or deleted since it was sealed. Exit 1 if any.")
  static final class Verify extends BaseCommand {
    @Override
    public Integer call() {
      try (Bootstrap boot = bootstrap()) {
        VerifyResult result = boot.audit().verify();
        if (result.intact()) {
          out().println("audit chain intact: " + result.checked() + " sealed runs checked");
          return ExitCode.SUCCEEDED;
        }
        result.problems().forEach(p -> out().println("TAMPERED: " + p));
        out()
            .println(
                result.problems().size() + " problems in " + result.checked() + " sealed runs");
        return ExitCode.FAILED;
      }
    }
  }
}
