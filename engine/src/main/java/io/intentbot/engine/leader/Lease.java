package io.intentbot.engine.leader;

import io.intentbot.engine.audit.AuditStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A background duty that one process at a time may do, among all processes sharing the audit
 * database; {@link DatabaseLeadership} holds one per duty. {@link #held()} says whether this
 * process holds it now, renewing it as needed; a holder that stops loses it after {@code ttl}.
 */
final class Lease {

  private final AuditStore audit;
  private final String name;
  private final String holder;
  private final Duration ttl;
  private final Clock clock;
  private Instant renewedAt;

  Lease(AuditStore audit, String name, String holder, Duration ttl, Clock clock) {
    this.audit = audit;
    this.name = name;
    this.holder = holder;
    this.ttl = ttl;
    this.clock = clock;
  }

  String name() {
    return name;
  }

  /** Whether this process holds the lease; asks the database at most every third of the ttl. */
  synchronized boolean held() {
    Instant now = clock.instant();
    if (renewedAt != null && now.isBefore(renewedAt.plus(ttl.dividedBy(3)))) {
      return true;
    }
    boolean held;
    try {
      held = audit.holdLease(name, holder, now, now.plus(ttl));
    } catch (RuntimeException e) {
      held = false;
    }
    renewedAt = held ? now : null;
    return held;
  }

  /** Gives the lease up at once (on shutdown), so another process need not wait for it. */
  synchronized void release() {
    renewedAt = null;
    try {
      audit.releaseLease(name, holder);
    } catch (RuntimeException e) {
      // it expires by itself
    }
  }
}
