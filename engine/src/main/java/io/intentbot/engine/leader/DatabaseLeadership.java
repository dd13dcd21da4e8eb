package io.intentbot.engine.leader;

import io.intentbot.engine.audit.AuditStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Leadership} by a {@link Lease} per duty in the audit database: each duty goes to whichever
 * process takes its lease first and keeps it while it renews it; a holder that stops loses it after
 * {@code ttl}. Works wherever the replicas share the audit database.
 */
public final class DatabaseLeadership implements Leadership {

  private final AuditStore audit;
  private final String holder;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param holder this process's id among those sharing the database
   * @param ttl how long a lease lasts unrenewed
   */
  public DatabaseLeadership(AuditStore audit, String holder, Duration ttl, Clock clock) {
    this.audit = audit;
    this.holder = holder;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public boolean mayRun(String duty) {
    if (closed) {
      return false;
    }
    Lease lease = lease(duty);
    boolean held = lease.held();
    if (held && closed) {
      lease.release(); // closed while we renewed: give it back
      return false;
    }
    return held;
  }

  /** The lease behind {@code duty}, created on first use. */
  Lease lease(String duty) {
    return leases.computeIfAbsent(duty, name -> new Lease(audit, name, holder, ttl, clock));
  }

  @Override
  public String describe() {
    return "database leases (one per duty, " + ttl.toMillis() + " ms) as " + holder;
  }

  @Override
  public void close() {
    closed = true;
    leases.values().forEach(Lease::release);
  }
}
