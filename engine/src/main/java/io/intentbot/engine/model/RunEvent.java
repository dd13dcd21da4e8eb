package io.intentbot.engine.model;

import io.intentbot.engine.config.ApprovalPolicy;
import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a run. Events of one run arrive in order, on the thread that caused
 * them; every text in them is already redacted.
 */
public sealed interface RunEvent {

  RunRecord run();

  /** A run was recorded and is waiting for approval; {@code plan} is what approvers see. */
  record ApprovalRequested(RunRecord run, Plan plan, ApprovalPolicy policy) implements RunEvent {}

  /** Somebody approved or rejected; the run may still wait for more approvals. */
  record ApprovalRecorded(RunRecord run, ApprovalRecord approval, int approvals, int required)
      implements RunEvent {}

  /** Steps are about to run. {@code totalSteps} counts the main steps. */
  record RunStarted(RunRecord run, Plan plan, int totalSteps) implements RunEvent {}

  /** {@code number} is 1-based among the main steps, 0 for prereqs and on_failure steps. */
  record StepStarted(RunRecord run, StepRecord step, int number, int totalSteps)
      implements RunEvent {}

  record OutputLine(RunRecord run, StepRecord step, String line, Instant at) implements RunEvent {}

  record StepFinished(RunRecord run, StepRecord step) implements RunEvent {}

  /**
   * A decision on the run was made outside this process's chat (from the command line, the console
   * or another replica without it): chat adapters update the run's card, which must not keep live
   * buttons. {@code event} says what was decided, by whom and from where.
   */
  record DecidedElsewhere(RunRecord run, AccessEvent event) implements RunEvent {}

  /** The run reached a terminal status (succeeded, failed, cancelled, rejected, expired). */
  record RunFinished(RunRecord run, boolean rolledBack) implements RunEvent {}

  /**
   * A run that a terminal took over (its last approval given from the CLI or the console, so its
   * steps ran in that process) reached a terminal status there: chat adapters show its result in
   * the run's thread as they show {@link RunFinished}. Told once per audit database, by the process
   * leading the follow of decisions made elsewhere ({@code Engine.followDecisionsMadeElsewhere}).
   * {@code approvedBy}: who approved it, oldest first.
   */
  record FinishedElsewhere(RunRecord run, boolean rolledBack, List<String> approvedBy)
      implements RunEvent {
    public FinishedElsewhere {
      approvedBy = List.copyOf(approvedBy);
    }
  }
}
