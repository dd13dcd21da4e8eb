package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a step's life: its record in the audit store (durably), its events for the listeners and
 * its log lines, every text redacted. One place, so that every step is recorded the same way.
 *
 * <p>The durability rule, by kind of step. Each write below is committed before the event that
 * announces it is published, so the listeners (the Slack thread) never show a step as ended before
 * the audit store has it.
 *
 * <ul>
 *   <li>A step that can change something outside the run, or that takes time (a shell command, a
 *       cluster change, a read of the cluster, a library step): two commits, {@link #started} as it
 *       begins and {@link #finished} when it ends. A crash in between leaves it {@code running} in
 *       the store, so recovery marks it (and its run) as interrupted: the record says that
 *       something may have been done.
 *   <li>An {@linkplain io.intentbot.engine.step.StepType#instant() instant} step ({@code set},
 *       {@code assert}): one commit, {@link #finished}, as it ends; {@link #announced} only tells
 *       the listeners it started. It changes nothing outside the run and is over as soon as it
 *       starts, so a crash before its end leaves nothing the record needs to show: the run is
 *       recorded as interrupted after the step before, and running it again would redo it all.
 *   <li>A step that ends before it runs (skipped by its {@code if:}, an input that does not
 *       render): its start and end as above, {@link #failedAtStart}.
 * </ul>
 */
final class StepJournal {

  private static final Logger LOG = LoggerFactory.getLogger("io.intentbot.run");

  private final AuditStore audit;
  private final EventBus events;
  private final Clock clock;
  private final DurableWrites durable;

  StepJournal(AuditStore audit, EventBus events, Clock clock, DurableWrites durable) {
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.durable = durable;
  }

  /** A new record of a step starting now; nothing is written yet. */
  StepRecord draft(RunState state, String stepId, String phase, String kind) {
    return new StepRecord(
        state.id(),
        state.stepIndex.getAndIncrement(),
        stepId,
        phase,
        kind,
        StepStatus.RUNNING,
        clock.instant(),
        null,
        0,
        Map.of(),
        "",
        null);
  }

  /** Writes the step as started and tells the listeners. */
  void started(RunState state, StepRecord record, int number, int total) {
    durable.run(() -> audit.saveStep(record));
    events.publish(new RunEvent.StepStarted(state.record(), record, number, total));
  }

  /**
   * Tells the listeners that an {@linkplain io.intentbot.engine.step.StepType#instant() instant}
   * step started, without writing: its one record is written when it ends ({@link #finished}).
   */
  void announced(RunState state, StepRecord record, int number, int total) {
    events.publish(new RunEvent.StepStarted(state.record(), record, number, total));
  }

  /**
   * Tells the listeners one line of the step's output (already redacted). Called on the step's
   * thread, which a cancellation interrupts: see {@link EventBus#publishFromStep}.
   */
  void output(RunState state, StepRecord record, String line) {
    events.publishFromStep(new RunEvent.OutputLine(state.record(), record, line, clock.instant()));
  }

  /**
   * As {@link #output}, for an {@linkplain io.intentbot.engine.step.StepType#instant() instant}
   * step, which runs on its run's orchestration thread: nothing interrupts that thread, so the
   * listeners are called here, without a hand-off to the bus's thread and back for every line.
   */
  void outputOnRunThread(RunState state, StepRecord record, String line) {
    events.publish(new RunEvent.OutputLine(state.record(), record, line, clock.instant()));
  }

  /** Writes the step's end, tells the listeners, and returns how it ended. */
  StepOutcome finished(
      RunState state,
      StepRecord started,
      StepStatus status,
      int attempts,
      Map<String, Object> outputs,
      String text,
      String reason) {
    StepRecord done =
        new StepRecord(
            started.runId(),
            started.index(),
            started.stepId(),
            started.phase(),
            started.type(),
            status,
            started.startedAt(),
            clock.instant(),
            attempts,
            state.redactor.redactMap(outputs),
            text,
            reason == null ? null : state.redactor.redact(reason));
    durable.run(() -> audit.saveStep(done));
    events.publish(new RunEvent.StepFinished(state.record(), done));
    LOG.info(
        "step {} {} in {} ms{}",
        done.stepId(),
        status.label(),
        done.durationMillis(),
        done.reason() == null ? "" : ": " + done.reason());
    return new StepOutcome(done.stepId(), status, done.reason());
  }

  /** A step that ends before it starts running (its {@code if:} or input failed). */
  StepOutcome failedAtStart(
      RunState state, StepRecord record, int number, int total, StepStatus status, String reason) {
    started(state, record, number, total);
    return finished(state, record, status, 0, Map.of(), "", reason);
  }
}
