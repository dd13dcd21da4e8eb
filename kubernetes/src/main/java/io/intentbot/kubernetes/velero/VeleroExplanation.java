package io.intentbot.kubernetes.velero;

import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.velero.Velero.Followed;
import io.intentbot.kubernetes.velero.VeleroDownloads.Downloaded;
import io.intentbot.kubernetes.velero.VeleroDownloads.Target;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Explains a Backup or Restore that ended PartiallyFailed or Failed, or with warnings, as {@code
 * velero backup describe} and {@code velero backup logs} would: reads its results and, when it
 * failed, its log through DownloadRequests ({@link VeleroDownloads}), writes the counts and the
 * first messages to the step's output and puts them in its outputs and its failure. A results file
 * or log that cannot be read is said so, never hidden; FailedValidation (nothing ran, the reasons
 * are in the status) and a run still going at the timeout are not looked into.
 */
final class VeleroExplanation {

  private static final Set<String> EXPLAINED = Set.of("PartiallyFailed", "Failed");

  private VeleroExplanation() {}

  /** How long to wait for each of Velero's answers: 30 s, looking every second. */
  static final Polling WAIT = VeleroDownloads.DEFAULT_WAIT;

  static CompletableFuture<StepResult> result(
      Followed followed,
      boolean restore,
      String itemsField,
      String itemsOutput,
      Cluster velero,
      Polling wait,
      StepOutput output,
      AsyncPoll poll,
      VeleroDownloads downloads) {
    String phase = Velero.phase(followed.resource());
    long errors = Velero.number(followed.resource(), "errors");
    long warnings = Velero.number(followed.resource(), "warnings");
    boolean failed = EXPLAINED.contains(phase);
    boolean timedOut = !failed && !"Completed".equals(phase);
    if (timedOut || !failed && warnings == 0 && errors == 0) {
      return CompletableFuture.completedFuture(followed.result(itemsField, itemsOutput));
    }
    String name = followed.resource().getMetadata().getName();
    Target results = restore ? Target.RESTORE_RESULTS : Target.BACKUP_RESULTS;
    Target log = restore ? Target.RESTORE_LOG : Target.BACKUP_LOG;
    return downloads
        .download(velero, results, name, wait, output, poll)
        .thenCompose(
            read -> {
              boolean veleroAnswers = read.problem() == null || read.notFound();
              if (veleroAnswers && (failed || read.problem() != null)) {
                return downloads
                    .download(velero, log, name, wait, output, poll)
                    .thenApply(logRead -> List.of(read, logRead));
              }
              return CompletableFuture.completedFuture(List.of(read));
            })
        .thenApply(
            read -> {
              Downloaded resultsRead = read.get(0);
              Downloaded logRead = read.size() > 1 ? read.get(1) : null;
              String unreadable = unreadable(resultsRead, logRead, restore, name);
              VeleroReport report;
              try {
                report =
                    VeleroReport.of(
                        resultsRead.content(), logRead == null ? null : logRead.content());
              } catch (IllegalArgumentException e) {
                report = VeleroReport.of(null, logRead == null ? null : logRead.content());
                unreadable = e.getMessage();
              }
              write(output, errors, warnings, report, unreadable);
              return followed.result(itemsField, itemsOutput, report, unreadable);
            });
  }

  /** Why the results (and the log) could not be read, or null when they could. */
  private static String unreadable(
      Downloaded results, Downloaded log, boolean restore, String name) {
    String command = (restore ? "velero restore logs " : "velero backup logs ") + name;
    if (results.problem() == null) {
      return null;
    }
    String why = "its results could not be read: " + results.problem();
    if (log != null && log.problem() != null) {
      why += "; nor its log: " + log.problem();
    }
    return why + " (try " + command + ")";
  }

  private static void write(
      StepOutput output, long errors, long warnings, VeleroReport report, String unreadable) {
    output.line(errors + " errors, " + warnings + " warnings");
    if (!report.errors().isEmpty()) {
      output.line("errors" + of(report.errors().size(), errors) + ":");
      report.errors().forEach(e -> output.line("  " + e));
    }
    if (!report.warnings().isEmpty()) {
      output.line("warnings" + of(report.warnings().size(), warnings) + ":");
      report.warnings().forEach(w -> output.line("  " + w));
    }
    if (!report.logLines().isEmpty()) {
      output.line("log, first " + report.logLines().get(0).split(":", 2)[0] + " lines:");
      report.logLines().forEach(l -> output.line("  " + l));
    }
    if (unreadable != null) {
      output.line(unreadable);
    }
  }

  private static String of(int shown, long total) {
    return shown < total ? " (first " + shown + " of " + total + ")" : "";
  }
}
