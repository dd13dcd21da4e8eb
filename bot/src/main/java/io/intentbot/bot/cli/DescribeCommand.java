package io.intentbot.bot.cli;

import io.intentbot.bot.chat.IntentHelp;
import io.intentbot.bot.chat.Mentions;
import io.intentbot.engine.definition.IntentDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code intentbot describe INTENT}: parameters, defaults, allowed values, approvals. */
@Command(
    name = "describe",
    description =
        "Describe an intent: parameters, types, defaults, allowed values, where it needs approval.")
final class DescribeCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "INTENT")
  String intent;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      IntentHelp help = new IntentHelp(boot.catalog(), boot.config(), Mentions.PLAIN);
      IntentDefinition found = boot.catalog().find(intent).orElse(null);
      if (found == null) {
        err().println("error: " + help.unknownIntent(intent));
        return ExitCode.INVALID;
      }
      out().println(help.describe(found));
      return ExitCode.SUCCEEDED;
    }
  }
}
