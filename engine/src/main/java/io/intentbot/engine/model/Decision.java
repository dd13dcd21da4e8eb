package io.intentbot.engine.model;

/**
 * The answer to an approve, reject, acknowledge or cancel: either it took effect ({@link Accepted},
 * with what happened) or it did not ({@link Refused}, with a typed {@link Refusal}). Adapters
 * render both for people.
 *
 * <pre>{@code
 * switch (engine.approve(runId, user)) {
 *   case Decision.Accepted a -> reply(text.accepted(a));
 *   case Decision.Refused r -> reply(text.refusal(r.reason()));
 * }
 * }</pre>
 */
public sealed interface Decision {

  /** The run after the decision; null when there is no such run. */
  RunRecord run();

  boolean accepted();

  /** What an accepted decision did. */
  enum Kind {
    /** An approval is recorded; the run waits for more ({@code approvals} of {@code required}). */
    APPROVAL_RECORDED,
    /** The last approval needed is in; the run is starting. */
    APPROVED_STARTING,
    /** The approval is recorded, but the run had already left the wait (status in {@code run}). */
    APPROVED_ALREADY_MOVED,
    /** The run is rejected ({@code comment} is the reason given, or null). */
    REJECTED,
    /** A waiting run was cancelled. */
    CANCELLED,
    /** A run waiting for its lock or a thread is being cancelled before it starts. */
    CANCELLING_PENDING,
    /** A running run is being cancelled; its step in progress is being stopped. */
    CANCELLING_RUNNING,
    /**
     * A run left in progress by a process that has stopped is now marked interrupted and its lock
     * released (cancelling it found its process gone).
     */
    RECOVERED,
    /** A break-glass run is acknowledged and no longer needs review. */
    ACKNOWLEDGED,
    /** An approval request ran out of time (the engine's duty, not a person's decision). */
    EXPIRED
  }

  /**
   * @param kind what happened
   * @param run the run after it
   * @param user who decided (null for {@link Kind#EXPIRED})
   * @param approvals approvals recorded on the run's plan so far (0 where it does not apply)
   * @param required approvals the environment requires (0 where it does not apply)
   * @param comment the reason given with a rejection, or null
   */
  record Accepted(
      Kind kind, RunRecord run, String user, int approvals, int required, String comment)
      implements Decision {
    public static Accepted of(Kind kind, RunRecord run, String user) {
      return new Accepted(kind, run, user, 0, 0, null);
    }

    @Override
    public boolean accepted() {
      return true;
    }
  }

  /**
   * @param reason why
   * @param run the run as it is now (null when there is none)
   */
  record Refused(Refusal reason, RunRecord run) implements Decision {
    @Override
    public boolean accepted() {
      return false;
    }
  }

  static Decision refused(Refusal reason, RunRecord run) {
    return new Refused(reason, run);
  }
}
