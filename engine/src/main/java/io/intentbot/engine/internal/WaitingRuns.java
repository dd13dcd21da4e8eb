package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recorded but not started (waiting for approval): their prepared state in this process, and
 * the one way to end them (rejected, cancelled, expired) before they start.
 */
final class WaitingRuns {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingRuns.class);

  private final AuditStore audit;
  private final EventBus events;
  private final Clock clock;
  private final Consumer<RunRecord> ended;
  private final Map<String, RunState> states = new ConcurrentHashMap<>();

  WaitingRuns(AuditStore audit, EventBus events, Clock clock, Consumer<RunRecord> ended) {
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.ended = ended;
  }

  void put(RunState state) {
    states.put(state.id(), state);
  }

  /** The prepared state of a waiting run, when this process prepared it. */
  Optional<RunState> state(String runId) {
    return Optional.ofNullable(states.get(runId));
  }

  void remove(String runId) {
    states.remove(runId);
  }

  /**
   * Ends a run that never started, recording {@code reason} as its end: exactly one caller wins the
   * transition and gets {@code outcome} of the ended run; the others are refused with the status
   * the run has now.
   */
  Decision end(
      RunRecord run,
      RunStatus status,
      String reason,
      java.util.function.Function<RunRecord, Decision> outcome) {
    if (!audit.transition(run.id(), run.status(), status, reason)) {
      RunRecord now = audit.findRun(run.id()).orElse(run);
      return Decision.refused(new Refusal.AlreadyEnded(run.id(), now.status()), now);
    }
    states.remove(run.id());
    RunRecord finished = run.finished(status, clock.instant(), Map.of(), reason);
    audit.updateRun(finished);
    audit.seal(run.id());
    LOG.info("run {} {}: {}", run.id(), status.label(), reason);
    events.publish(new RunEvent.RunFinished(finished, false));
    ended.accept(finished);
    return outcome.apply(finished);
  }
}
