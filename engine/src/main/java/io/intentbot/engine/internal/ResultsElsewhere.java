package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this process's listeners, as {@link RunEvent.FinishedElsewhere}, how each run ended that a
 * terminal (the CLI, the console) took over by giving its last approval: such a run executes in
 * that terminal's process, so the chat thread it came from hears of its end only from here. Runs
 * marked interrupted are left out: the process that marks them tells its own listeners.
 *
 * <p>Runs on the leader of {@link DecisionsElsewhere#DUTY}, after the decisions, so a thread shows
 * the approval before the result. Its own position in the access log ({@value #READER}) moves past
 * an entry only once that run's end is told (or there is none to tell), so a run still in progress
 * when this process stops is told by the next leader. A run that ended is told once: its marker
 * ({@value #TOLD}{@code RUN}, a read position) is written after its listeners have it, and a run
 * with a marker is never told again, whoever leads. A run that cannot be read is tried again on the
 * next look; nothing is told about it meanwhile.
 */
final class ResultsElsewhere {

  static final String READER = "results-elsewhere";
  static final String TOLD = "result-told:";

  private static final Logger LOG = LoggerFactory.getLogger(ResultsElsewhere.class);

  private final AuditStore audit;
  private final EventBus events;

  /** Runs told here whose entries the position has not passed yet (a run before them goes on). */
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  ResultsElsewhere(AuditStore audit, EventBus events) {
    this.audit = audit;
    this.events = events;
  }

  /** Starts the position at the newest entry when no process on the database has one yet. */
  void start() {
    audit.readPosition(READER, audit.lastAccessId());
  }

  /** Tells the ends of runs taken over by a terminal since the last look. */
  void poll() {
    long from = audit.readPosition(READER, audit.lastAccessId());
    boolean settled = true;
    for (AccessEvent event : audit.accessDecisionsAfter(from)) {
      if (takenOver(event) && !tell(event)) {
        settled = false;
      }
      if (settled) {
        audit.advanceReadPosition(READER, event.id());
        if (event.runId() != null) {
          told.remove(event.runId());
        }
      }
    }
  }

  /** A last approval given from a terminal: the run executes in that terminal's process. */
  private static boolean takenOver(AccessEvent event) {
    return event.runId() != null
        && !"slack".equals(event.source())
        && "approve".equals(event.action())
        && Decision.Kind.APPROVED_STARTING.name().equals(event.reason());
  }

  /** Tells the run's end if it ended; false while it is still in progress. */
  private boolean tell(AccessEvent event) {
    String runId = event.runId();
    if (told.contains(runId)) {
      return true;
    }
    Optional<RunRecord> found = audit.findRun(runId);
    if (found.isEmpty()) {
      LOG.warn(
          "run {} of access log entry {} is not recorded: no result to tell", runId, event.id());
      return true;
    }
    RunRecord run = found.get();
    if (!run.status().isTerminal()) {
      return false;
    }
    String marker = TOLD + runId;
    if (run.status() != RunStatus.INTERRUPTED && audit.readPosition(marker, 0) == 0) {
      List<String> approvedBy =
          audit.approvals(runId).stream()
              .filter(ApprovalRecord::approved)
              .map(ApprovalRecord::user)
              .toList();
      events.publish(new RunEvent.FinishedElsewhere(run, rolledBack(run), approvedBy));
      audit.advanceReadPosition(marker, event.id());
    }
    told.add(runId);
    return true;
  }

  /** As the executing process said: the run failed, and on_failure steps ran and succeeded. */
  private boolean rolledBack(RunRecord run) {
    if (run.status() != RunStatus.FAILED) {
      return false;
    }
    List<StepRecord> undo =
        audit.steps(run.id()).stream()
            .filter(s -> "on_failure".equals(s.phase()) && s.status() != StepStatus.SKIPPED)
            .toList();
    return !undo.isEmpty() && undo.stream().allMatch(s -> s.status() == StepStatus.SUCCEEDED);
  }
}
