package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.RunEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells this process's listeners about decisions made from a terminal (the CLI, the console) in any
 * process, as {@link RunEvent.DecidedElsewhere}, so that a chat adapter updates the run's card: a
 * card must not keep live buttons after a decision made elsewhere. Reads the access log every
 * interval; with several replicas only the one leading {@link #DUTY} tells its listeners. Where it
 * left off is kept in the database after each entry, so a replica that takes the duty over resumes
 * after the last entry the previous leader handled: a decision made while leadership changed hands
 * still reaches its card (one handled just before a leader died may be told twice; updating a card
 * twice is harmless). The first follower on a database starts at its newest entry. After the
 * decisions, the same leader tells the ends of the runs a terminal took over ({@link
 * ResultsElsewhere}).
 */
final class DecisionsElsewhere {

  static final String DUTY = "decisions-elsewhere";

  private static final Logger LOG = LoggerFactory.getLogger(DecisionsElsewhere.class);

  private final AuditStore audit;
  private final EventBus events;
  private final Leadership leadership;
  private final ScheduledExecutorService timer;
  private final ResultsElsewhere results;
  private final AtomicBoolean following = new AtomicBoolean();

  DecisionsElsewhere(
      AuditStore audit, EventBus events, Leadership leadership, ScheduledExecutorService timer) {
    this.audit = audit;
    this.events = events;
    this.leadership = leadership;
    this.timer = timer;
    this.results = new ResultsElsewhere(audit, events);
  }

  void follow(Duration interval) {
    if (!following.compareAndSet(false, true)) {
      return;
    }
    try {
      audit.readPosition(DUTY, audit.lastAccessId());
      results.start();
    } catch (RuntimeException e) {
      LOG.warn("cannot read where decisions made elsewhere were left off: {}", e.toString());
    }
    timer.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Publishes the decisions recorded since the last look, then the results of runs they sent
   * elsewhere; public to the package for tests.
   */
  void poll() {
    try {
      if (!leadership.mayRun(DUTY)) {
        return;
      }
      long from = audit.readPosition(DUTY, audit.lastAccessId());
      for (AccessEvent event : audit.accessDecisionsAfter(from)) {
        if (event.runId() != null && !"slack".equals(event.source())) {
          audit
              .findRun(event.runId())
              .ifPresent(run -> events.publish(new RunEvent.DecidedElsewhere(run, event)));
        }
        audit.advanceReadPosition(DUTY, event.id());
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read decisions made elsewhere: {}", e.toString());
      return;
    }
    try {
      results.poll();
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot read the results of runs finished elsewhere (trying again): {}", e.toString());
    }
  }
}
