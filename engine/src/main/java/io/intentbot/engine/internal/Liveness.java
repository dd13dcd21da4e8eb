package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.RunEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's liveness in the audit store: its heartbeat, and marking the runs of processes that
 * stopped beating (for {@code processTimeout}) as interrupted, releasing their locks.
 */
final class Liveness {

  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

  private final AuditStore audit;
  private final EventBus events;
  private final Clock clock;
  private final String processId;
  private final Duration processTimeout;
  private final Consumer<io.intentbot.engine.model.RunRecord> ended;

  Liveness(
      AuditStore audit,
      EventBus events,
      Clock clock,
      String processId,
      Duration processTimeout,
      Consumer<io.intentbot.engine.model.RunRecord> ended) {
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

  /** How often this process beats: three times per process timeout. */
  Duration beatInterval() {
    return Duration.ofMillis(Math.max(50, processTimeout.toMillis() / 3));
  }

  void beat() {
    audit.heartbeat(processId, clock.instant());
  }

  /**
   * Marks as interrupted the runs whose process has not beaten for {@code processTimeout}; each run
   * is marked once (a compare-and-set), so any process may call it at any time.
   */
  List<String> recoverInterrupted() {
    Instant now = clock.instant();
    List<String> ids =
        audit.markAbandoned(
            now, now.minus(processTimeout), "intentbot stopped while the run was in progress");
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
    if (!ids.isEmpty()) {
      LOG.warn("marked {} runs interrupted: {}", ids.size(), ids);
    }
    return ids;
  }
}
