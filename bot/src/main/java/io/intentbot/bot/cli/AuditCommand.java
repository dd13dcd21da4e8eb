package io.intentbot.bot.cli;

import io.intentbot.engine.audit.AuditKey;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.ChainHead;
import io.intentbot.engine.audit.VerifyResult;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code intentbot audit verify [--expect-head SEQ:HASH]} recomputes the hash chain over every
 * finished run, decision, acknowledgement and access log entry; {@code intentbot audit head} prints
 * its newest entry, to keep outside the database.
 */
@Command(
    name = "audit",
    description = "Audit store tools.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Head.class})
final class AuditCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "verify",
      description =
          "Report any entry of the audit chain (a finished run, a decision, an acknowledgement,"
              + " an access log entry) edited or deleted since it was sealed. Exit 1 if any.")
  static final class Verify extends BaseCommand {

    @Option(
        names = "--expect-head",
        paramLabel = "SEQ:HASH",
        description =
            "a head printed earlier by `audit head` and kept elsewhere: fail if that entry is"
                + " gone or differs (a deleted tail)")
    String expectHead;

    @Override
    public Integer call() {
      Optional<ChainHead> expected;
      try {
        expected = Optional.ofNullable(expectHead).map(ChainHead::parse);
      } catch (IllegalArgumentException e) {
        err().println(e.getMessage());
        return ExitCode.INVALID;
      }
      try (Bootstrap boot = bootstrap()) {
        AuditStore audit = boot.audit();
        VerifyResult result = audit.verify(expected);
        boolean keyed = boot.auditKey().isPresent();
        if (result.intact()) {
          out().println("audit chain intact: " + result.checked() + " entries checked");
        } else {
          result.problems().forEach(p -> out().println("TAMPERED: " + p));
          out().println(result.problems().size() + " problems in " + result.checked() + " entries");
        }
        result.covers(audit.head()).forEach(out()::println);
        out()
            .println(
                keyed
                    ? "MACs: "
                        + result.signed()
                        + " of "
                        + result.checked()
                        + " confirmed with "
                        + AuditKey.VARIABLE
                        + (result.signed() < result.checked()
                            ? " (the others were sealed without a key)"
                            : "")
                    : "MACs: not checked ("
                        + AuditKey.VARIABLE
                        + " is not set): a chain rebuilt by someone who can write the database"
                        + " would pass");
        out()
            .println(
                expected
                    .map(
                        h -> "expected head " + h + (result.intact() ? ": present, unchanged" : ""))
                    .orElse(
                        "expected head: none given (--expect-head SEQ:HASH finds a deleted tail)"));
        return result.intact() ? ExitCode.SUCCEEDED : ExitCode.FAILED;
      }
    }
  }

  @Command(
      name = "head",
      description =
          "Print the newest sealed entry of the audit chain as SEQ:HASH, to keep outside the"
              + " database for `audit verify --expect-head`.")
  static final class Head extends BaseCommand {
    @Override
    public Integer call() {
      try (Bootstrap boot = bootstrap()) {
        out().println(boot.audit().head());
        return ExitCode.SUCCEEDED;
      }
    }
  }
}
