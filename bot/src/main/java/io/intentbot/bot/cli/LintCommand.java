package io.intentbot.bot.cli;

import io.intentbot.engine.config.ConfigResult;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.yaml.LoadProblem;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code intentbot lint [DIR]}: every problem in the config file (checked against the intents in
 * DIR) and in every intent file; exit 2 if any.
 */
@Command(
    name = "lint",
    description =
        "Check the config and every intent and library step in DIR; print every problem with file:line:column. Exit 2 if any.")
final class LintCommand extends BaseCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "intents folder (default: --intents)")
  Path dir;

  @Override
  public Integer call() {
    try (Bootstrap boot = uncheckedBootstrap()) {
      Path folder = dir != null ? dir : boot.intentsDir();
      ConfigResult config = boot.checkConfig(folder);
      config.problems().forEach(problem -> out().println(problem));
      if (!config.valid()) {
        out().println(boot.configFile() + ": " + config.problems().size() + " problems");
      }
      IntentCatalog catalog = boot.catalog(folder);
      for (LoadProblem problem : catalog.problems()) {
        out()
            .println(
                folder.resolve(problem.location().file()).normalize() + problemSuffix(problem));
      }
      String counts =
          catalog.all().size() + " intents, " + catalog.library().size() + " library steps";
      if (catalog.problems().isEmpty()) {
        out().println(folder + ": " + counts + ", no problems");
        return config.valid() ? ExitCode.SUCCEEDED : ExitCode.INVALID;
      }
      out().println(folder + ": " + catalog.problems().size() + " problems (" + counts + " valid)");
      return ExitCode.INVALID;
    }
  }

  private static String problemSuffix(LoadProblem problem) {
    return problem.location().line() > 0
        ? ":"
            + problem.location().line()
            + ":"
            + problem.location().column()
            + ": "
            + problem.message()
        : ": " + problem.message();
  }
}
