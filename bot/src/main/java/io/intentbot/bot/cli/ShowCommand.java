package io.intentbot.bot.cli;

import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.StepRecord;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code intentbot show RUN}: one run as the audit store keeps it, with every step's output. */
@Command(
    name = "show",
    description =
        "Show one run: parameters, approvals, every step with its timing and whole output.")
final class ShowCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RUN")
  String runId;

  @Override
  public Integer call() {
    try (Bootstrap boot = bootstrap()) {
      AuditStore audit = boot.audit();
      RunRecord run = audit.findRun(runId).orElse(null);
      if (run == null) {
        err()
            .println("error: there is no run " + runId + "; `intentbot history` lists recent runs");
        return ExitCode.INVALID;
      }
      out().println("run " + run.id() + ": " + run.intent() + " " + RunText.parameters(run));
      out()
          .println(
              "  status     "
                  + run.status().label()
                  + (run.dryRun() ? " (dry run)" : "")
                  + (run.reason() == null ? "" : " - " + run.reason()));
      out().println("  requester  " + run.requester());
      if (run.environment() != null) {
        out().println("  environment " + run.environment());
      }
      out().println("  created    " + HistoryCommand.TIME.format(run.createdAt()));
      if (run.startedAt() != null && run.finishedAt() != null) {
        out()
            .println(
                "  took       "
                    + RunText.duration(Duration.between(run.startedAt(), run.finishedAt())));
      }
      out().println("  plan hash  " + run.planHash());
      if (run.lockKey() != null) {
        out().println("  lock       " + run.lockKey());
      }
      for (ApprovalRecord approval : audit.approvals(runId)) {
        out()
            .println(
                "  "
                    + (approval.approved() ? "approved" : "rejected")
                    + " by "
                    + approval.user()
                    + " at "
                    + HistoryCommand.TIME.format(approval.at())
                    + (approval.comment() == null ? "" : " - " + approval.comment()));
      }
      audit
          .review(runId)
          .ifPresent(
              r ->
                  out()
                      .println(
                          "  acknowledged by "
                              + r.user()
                              + " at "
                              + HistoryCommand.TIME.format(r.at())
                              + (r.note() == null ? "" : " - " + r.note())));
      if (run.origin().get("break_glass") != null && audit.review(runId).isEmpty()) {
        out().println("  BREAK GLASS: needs review (an approver types `ack " + runId + "`)");
      }
      if (run.origin().get("broke_freeze") != null) {
        out().println("  broke the freeze of " + run.origin().get("broke_freeze"));
      }
      if (run.origin().get("os_user") != null) {
        out()
            .println(
                "  from       "
                    + run.origin().getOrDefault("source", "?")
                    + ", os user "
                    + run.origin().get("os_user")
                    + (run.origin().get("host") == null ? "" : "@" + run.origin().get("host")));
      }
      if (run.origin().get(RunRecord.APPROVAL_ENVIRONMENT) != null) {
        out()
            .println(
                "  approval   as "
                    + run.origin().get(RunRecord.APPROVAL_ENVIRONMENT)
                    + " (the strictest environment it touches)");
      }
      run.outputs().forEach((k, v) -> out().println("  output     " + k + " = " + v));
      for (StepRecord step : audit.steps(runId)) {
        String took = step.durationMillis() < 0 ? "" : " in " + step.durationMillis() + " ms";
        out()
            .println(
                "step "
                    + step.stepId()
                    + " ("
                    + step.type()
                    + ", "
                    + step.phase()
                    + "): "
                    + step.status().label()
                    + took
                    + (step.attempts() > 1 ? ", " + step.attempts() + " attempts" : "")
                    + (step.reason() == null ? "" : " - " + step.reason()));
        if (step.outputText() != null && !step.outputText().isEmpty()) {
          step.outputText().lines().forEach(l -> out().println("    | " + l));
        }
        step.outputs()
            .forEach(
                (k, v) -> out().println("    " + k + " = " + RunText.cut(String.valueOf(v), 500)));
      }
      return ExitCode.SUCCEEDED;
    }
  }
}
