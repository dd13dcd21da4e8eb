package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.WaitingRunStore;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs recorded but not started (waiting for approval): their prepared state in this process, what
 * every process on the database needs to decide on them (the inputs their plan was computed from,
 * their secret parameters: sealed with the {@link SecretVault}'s key, or only in this process's
 * memory without one), and the one way to end them (rejected, cancelled, expired) before they
 * start.
 */
final class WaitingRuns {

  private static final Logger LOG = LoggerFactory.getLogger(WaitingRuns.class);

  private final AuditStore audit;
  private final EventBus events;
  private final Clock clock;
  private final Consumer<RunRecord> ended;
  private final SecretVault vault;
  private final String processId;
  private final Map<String, RunState> states = new ConcurrentHashMap<>();

  WaitingRuns(
      AuditStore audit,
      EventBus events,
      Clock clock,
      Consumer<RunRecord> ended,
      SecretVault vault,
      String processId) {
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.ended = ended;
    this.vault = vault;
    this.processId = processId;
  }

  /**
   * Keeps a run that was just recorded as waiting: its state here, its plan's inputs and its secret
   * parameters (if any) in the database.
   */
  void put(RunState state) {
    states.put(state.id(), state);
    if (state.inputs != null) {
      audit.waitingRuns().savePlanInputs(state.id(), state.inputs.digests());
    }
    Map<String, String> secrets = secretValues(state);
    if (!secrets.isEmpty()) {
      audit
          .waitingRuns()
          .saveSecrets(state.id(), processId, vault.seal(state.id(), secrets).orElse(null));
    }
  }

  /** The values of the run's secret parameters that were given, by name. */
  static Map<String, String> secretValues(RunState state) {
    Map<String, String> values = new LinkedHashMap<>();
    state.intent.parameters().stream()
        .filter(p -> p.secret())
        .forEach(
            p -> {
              Object value = state.parameters.values().get(p.name());
              if (value != null && Redactor.MASK.equals(state.parameters.display().get(p.name()))) {
                values.put(p.name(), String.valueOf(value));
              }
            });
    return values;
  }

  /** Where the secret parameters of a waiting run are, for the process that decides on it. */
  sealed interface Secrets {
    /** The values, by parameter name. */
    record Known(Map<String, String> values) implements Secrets {}

    /** The run has none. */
    record None() implements Secrets {}

    /** They were kept in the memory of a process other than this one. */
    record MemoryOnly(String processId) implements Secrets {}

    /** They are sealed, but this process's key does not open them (no key, another key). */
    record Unreadable() implements Secrets {}
  }

  /** The secret parameters of a waiting run: from this process's memory, else the database. */
  Secrets secrets(String runId) {
    RunState state = states.get(runId);
    if (state != null) {
      Map<String, String> values = secretValues(state);
      return values.isEmpty() ? new Secrets.None() : new Secrets.Known(values);
    }
    Optional<WaitingRunStore.StoredSecrets> stored = audit.waitingRuns().secrets(runId);
    if (stored.isEmpty()) {
      return new Secrets.None();
    }
    if (stored.get().sealed() == null) {
      return new Secrets.MemoryOnly(stored.get().processId());
    }
    return vault
        .open(runId, stored.get().sealed())
        .<Secrets>map(Secrets.Known::new)
        .orElseGet(Secrets.Unreadable::new);
  }

  /** The digests of the inputs of the plan that was shown, from the database; empty if unknown. */
  Map<String, String> shownInputs(String runId) {
    return audit.waitingRuns().planInputs(runId);
  }

  /** Waiting runs whose secrets only a process silent since {@code aliveSince} held. */
  List<String> withLostSecrets(Instant aliveSince) {
    return audit.waitingRuns().waitingWithLostSecrets(processId, aliveSince);
  }

  /** The prepared state of a waiting run, when this process prepared it. */
  Optional<RunState> state(String runId) {
    return Optional.ofNullable(states.get(runId));
  }

  /** The run left the wait to start: forget its state here and its secrets at rest. */
  void remove(String runId) {
    states.remove(runId);
    audit.waitingRuns().deleteSecrets(runId);
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
    audit.waitingRuns().deleteSecrets(run.id());
    RunRecord finished = run.finished(status, clock.instant(), Map.of(), reason);
    audit.updateRun(finished);
    audit.seal(run.id());
    LOG.info("run {} {}: {}", run.id(), status.label(), reason);
    events.publish(new RunEvent.RunFinished(finished, false));
    ended.accept(finished);
    return outcome.apply(finished);
  }
}
