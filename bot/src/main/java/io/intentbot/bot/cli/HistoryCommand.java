package io.intentbot.bot.cli;

import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.model.AccessEvent;
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

  @Option(
      names = "--refused",
      description = "refused attempts instead of runs: who tried what, where, which rule refused")
  boolean refused;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      if (refused) {
        return refused(boot);
      }
      List<RunRecord> runs = boot.audit().recentRuns(intent, limit);
      if (runs.isEmpty()) {
        out().println("no runs yet");
      }
      for (RunRecord run : runs) {
        out()
            .printf(
                "%s  %s  %-16s %-17s %-12s %s%s%s%n",
                run.id(),
                TIME.format(run.createdAt()),
                run.status().label() + (run.dryRun() ? " (dry)" : ""),
                run.intent(),
                run.requester(),
                RunText.parameters(run),
                run.reason() == null ? "" : "  - " + run.reason(),
                run.origin().get("break_glass") == null
                    ? ""
                    : boot.audit().review(run.id()).isPresent()
                        ? "  [break glass, reviewed]"
                        : "  [BREAK GLASS: needs review]");
      }
      return ExitCode.SUCCEEDED;
    }
  }

  private int refused(Bootstrap boot) {
    List<AccessEvent> attempts = boot.audit().refusedAttempts(limit);
    if (attempts.isEmpty()) {
      out().println("no refused attempts");
    }
    for (AccessEvent e : attempts) {
      String where =
          (e.source() == null ? "" : e.source())
              + (e.channel() == null ? "" : " #" + e.channel())
              + (e.osUser() == null
                  ? ""
                  : " " + e.osUser() + (e.host() == null ? "" : "@" + e.host()));
      out()
          .printf(
              "%s  %-12s %-11s %-17s %-12s %-24s %s%s%n",
              TIME.format(e.at()),
              e.user(),
              e.action(),
              e.intent() == null ? (e.runId() == null ? "-" : e.runId()) : e.intent(),
              e.environments().isEmpty() ? "-" : String.join(",", e.environments()),
              e.rule() == null ? "-" : e.rule(),
              where.strip(),
              e.runId() == null || e.intent() == null ? "" : "  run " + e.runId());
    }
    return ExitCode.SUCCEEDED;
  }
}
