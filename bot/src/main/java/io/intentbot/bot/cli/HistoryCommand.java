package io.intentbot.bot.cli;

import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.model.RunRecord;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code intentbot history}: recent runs from the audit store, newest first. */
@Command(name = "history", description = "Recent runs, newest first.")
final class HistoryCommand extends BaseCommand {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Option(names = "--intent", paramLabel = "INTENT")
  String intent;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20")
  int limit;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      List<RunRecord> runs = boot.audit().recentRuns(intent, limit);
      if (runs.isEmpty()) {
        out().println("no runs yet");
      }
      for (RunRecord run : runs) {
        out()
            .printf(
                "%s  %s  %-16s %-17s %-12s %s%s%n",
                run.id(),
                TIME.format(run.createdAt()),
                run.status().label() + (run.dryRun() ? " (dry)" : ""),
                run.intent(),
                run.requester(),
                RunText.parameters(run),
                run.reason() == null ? "" : "  - " + run.reason());
      }
      return ExitCode.SUCCEEDED;
    }
  }
}
