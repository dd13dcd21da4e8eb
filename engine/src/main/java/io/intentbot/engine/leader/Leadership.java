package io.intentbot.engine.leader;

/**
 * Decides whether this process may do a background duty now, among all processes (replicas) of one
 * intentbot installation: expiring approvals, marking interrupted runs, draining the Slack outbox.
 * One process at a time does a given duty; the others skip it and ask again on their next tick.
 *
 * <p>Two implementations: {@link DatabaseLeadership} (a lease per duty in the audit database, the
 * default) and a Kubernetes Lease election (in the kubernetes module; one leader does every duty).
 * Duties must stay safe when, for a moment around a hand-over, two processes both do them: they are
 * idempotent compare-and-set writes in the audit store, and leadership only keeps them from being
 * repeated needlessly.
 *
 * <pre>{@code
 * Leadership leadership = engine.leadership();
 * if (leadership.mayRun("slack-outbox")) { outbox.drain(); }
 * }</pre>
 */
public interface Leadership extends AutoCloseable {

  /** The duty of marking runs of stopped processes as interrupted (after each heartbeat). */
  String INTERRUPTED_RUNS = "interrupted-runs";

  /** The duty of expiring approval requests past their {@code expires_after}. */
  String APPROVAL_EXPIRY = "approval-expiry";

  /** Whether this process may do {@code duty} now; cheap enough to ask before every tick. */
  boolean mayRun(String duty);

  /** Which kind of leadership this is and who this process is in it, for the start-up log. */
  String describe();

  /** Stops competing and gives up what this process holds, so another need not wait for it. */
  @Override
  void close();
}
