package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.RunOwner;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's liveness in the audit store: its heartbeat, and marking the runs of processes that
 * stopped as interrupted, releasing their locks. A process has stopped when it has not beaten for
 * {@code processTimeout}, or at once when it ran on this host and its operating-system process is
 * gone (its id carries the pid, see {@link ProcessIds}).
 */
final class Liveness {

  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);
  static final String INTERRUPTED = "intentbot stopped while the run was in progress";

  private final AuditStore audit;
  private final EventBus events;
  private final Clock clock;
  private final String processId;
  private final Duration processTimeout;
  private final Consumer<RunRecord> ended;

  /**
   * What is known of the process executing a run.
   *
   * @param processId its id
   * @param lastBeat its last heartbeat, or null when it never beat
   * @param alive whether it still runs
   */
  record Owner(String processId, Instant lastBeat, boolean alive) {}

  Liveness(
      AuditStore audit,
      EventBus events,
      Clock clock,
      String processId,
      Duration processTimeout,
      Consumer<RunRecord> ended) {
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.processId = processId;
    this.processTimeout = processTimeout;
    this.ended = ended;
  }

  String processId() {
    return processId;
  }

  Duration processTimeout() {
    return processTimeout;
  }

  /** How often this process beats: three times per process timeout. */
  Duration beatInterval() {
    return Duration.ofMillis(Math.max(50, processTimeout.toMillis() / 3));
  }

  void beat() {
    audit.heartbeat(processId, clock.instant());
  }

  /** The process executing {@code runId}; empty when no process claimed it. */
  Optional<Owner> ownerOf(String runId) {
    return audit.runOwner(runId).map(this::owner);
  }

  private Owner owner(RunOwner owner) {
    Instant beat = owner.heartbeatAt();
    boolean alive =
        beat != null
            && !beat.isBefore(clock.instant().minus(processTimeout))
            && !goneFromThisHost(owner);
    return new Owner(owner.processId(), beat, alive);
  }

  /**
   * Whether the process ran on this host and its operating-system process is gone (or the pid now
   * belongs to a process started after it). Processes of this JVM count as present.
   */
  private static boolean goneFromThisHost(RunOwner owner) {
    Optional<Long> pid = ProcessIds.localPid(owner.processId());
    if (pid.isEmpty() || pid.get() == ProcessHandle.current().pid()) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get());
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    Optional<Instant> started = process.get().info().startInstant();
    return owner.startedAt() != null
        && started.isPresent()
        && started.get().isAfter(owner.startedAt());
  }

  /**
   * Marks as interrupted the runs whose process has stopped (see the class); each run is marked
   * once (a compare-and-set), so any process may call it at any time.
   */
  List<String> recoverInterrupted() {
    Instant now = clock.instant();
    List<String> ids =
        new ArrayList<>(audit.markAbandoned(now, now.minus(processTimeout), INTERRUPTED));
    ids.addAll(audit.interruptRuns(goneFromThisHost(), now, INTERRUPTED));
    ended(ids);
    if (!ids.isEmpty()) {
      LOG.warn("marked {} runs interrupted: {}", ids.size(), ids);
    }
    return ids;
  }

  /**
   * Marks {@code runId} interrupted when its process has stopped, releasing its lock; returns the
   * run as it is then recorded, or empty when its process is alive or nobody claimed it.
   */
  Optional<RunRecord> recoverIfStopped(String runId) {
    Optional<Owner> owner = ownerOf(runId);
    if (owner.isEmpty() || owner.get().alive()) {
      return Optional.empty();
    }
    List<String> ids = audit.interruptRuns(List.of(runId), clock.instant(), INTERRUPTED);
    ended(ids);
    return audit.findRun(runId);
  }

  /** Runs in progress whose process ran on this host and is gone. */
  private List<String> goneFromThisHost() {
    List<String> gone = new ArrayList<>();
    for (RunRecord run : audit.runsInStatus(List.of(RunStatus.PENDING, RunStatus.RUNNING))) {
      audit
          .runOwner(run.id())
          .filter(o -> ProcessIds.localPid(o.processId()).isPresent() && goneFromThisHost(o))
          .ifPresent(o -> gone.add(run.id()));
    }
    return gone;
  }

  private void ended(List<String> ids) {
    for (String id : ids) {
      audit.seal(id);
      audit
          .findRun(id)
          .ifPresent(
              run -> {
                events.publish(new RunEvent.RunFinished(run, false));
                ended.accept(run);
              });
    }
  }
}
