package io.intentbot.bot.cli;

import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import picocli.CommandLine.Command;

/** {@code intentbot list}: the intents, their risk and description. */
@Command(name = "list", description = "List the intents.")
final class ListCommand extends BaseCommand {

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      IntentCatalog catalog = boot.catalog();
      int width = catalog.all().stream().mapToInt(i -> i.name().length()).max().orElse(4);
      for (IntentDefinition intent : catalog.all()) {
        out()
            .printf(
                "%-" + width + "s  %-11s  %s%n",
                intent.name(),
                intent.risk().label(),
                intent.description() == null ? "" : intent.description());
      }
      if (!catalog.problems().isEmpty()) {
        err()
            .println(
                catalog.problems().size()
                    + " problems in intent files; `intentbot lint` shows them");
      }
      return ExitCode.SUCCEEDED;
    }
  }
}
