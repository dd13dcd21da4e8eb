package io.intentbot.engine.audit;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.ReviewRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of who ran what, when, approved by whom. Every method writes through at once (no
 * buffering), so a crash leaves an honest record. Implementations are safe for concurrent use by
 * several threads and by several bot processes sharing one database.
 *
 * <p>Promises:
 *
 * <ul>
 *   <li>{@link #transition} is a compare-and-set: of many concurrent calls with the same expected
 *       status, exactly one returns true.
 *   <li>{@link #tryLock} grants a key to one run at a time, across processes.
 *   <li>{@link #seal} chains a finished run to the previously sealed one by hash; {@link #verify}
 *       recomputes the chain and reports any record edited or deleted since.
 *   <li>{@link #recordApproval} keeps one decision per user and run; a second is ignored.
 * </ul>
 */
public interface AuditStore extends AutoCloseable {

  /** Stores a new run. Fails if the id exists. */
  void createRun(RunRecord run);

  /** Replaces the stored run with this one (same id). */
  void updateRun(RunRecord run);

  /**
   * Sets the status to {@code to} only if it is {@code from} now; returns whether it did. Use it to
   * start a run exactly once however many approvals arrive at once.
   */
  boolean transition(String runId, RunStatus from, RunStatus to, String reason);

  Optional<RunRecord> findRun(String runId);

  /** Newest first. {@code intent} may be null for all intents. */
  List<RunRecord> recentRuns(String intent, int limit);

  /** Runs in the given statuses, oldest first (e.g. the ones waiting for approval). */
  List<RunRecord> runsInStatus(List<RunStatus> statuses);

  /** Inserts or replaces a step by (run id, index). */
  void saveStep(StepRecord step);

  /** A run's steps in index order. */
  List<StepRecord> steps(String runId);

  /** Stores a decision; returns false if this user already decided on this run. */
  boolean recordApproval(ApprovalRecord approval);

  /** Decisions on a run, oldest first. */
  List<ApprovalRecord> approvals(String runId);

  /**
   * Stores an acknowledgement of a break-glass run (allowed after the run is sealed: reviews are
   * outside the hash chain); returns false if the run was already reviewed.
   */
  boolean recordReview(ReviewRecord review);

  /** The review of a run, if any. */
  Optional<ReviewRecord> review(String runId);

  /** Break-glass runs nobody has reviewed yet, oldest first. */
  List<RunRecord> runsAwaitingReview();

  /**
   * Appends to the access log (refused attempts, decisions made outside Slack); returns the entry
   * with its id.
   */
  AccessEvent recordAccess(AccessEvent event);

  /** Refused attempts, newest first. */
  List<AccessEvent> refusedAttempts(int limit);

  /** Decisions in the access log after {@code id}, oldest first. */
  List<AccessEvent> accessDecisionsAfter(long id);

  /** The id of the newest access log entry, or 0. */
  long lastAccessId();

  /**
   * Where {@code reader} (a follower of the access log) left off, shared by every process on the
   * database, so that a replica taking over a duty resumes where the last one stopped: the stored
   * position, or {@code start}, stored as it, when there is none yet.
   */
  long readPosition(String reader, long start);

  /** Moves {@code reader}'s position forward to {@code position}; it never moves back. */
  void advanceReadPosition(String reader, long position);

  /**
   * Gives {@code key} to {@code runId} if nobody holds it; returns the holder's run id when
   * somebody else does (empty when the lock was granted or is already this run's).
   */
  Optional<String> tryLock(String key, String runId, Instant at);

  /** Releases the key if {@code runId} holds it. */
  void releaseLock(String key, String runId);

  /** The run holding {@code key}, if any. */
  Optional<String> lockHolder(String key);

  /**
   * Marks every run that was {@code PENDING} or {@code RUNNING} as {@code INTERRUPTED} (and its
   * running steps as failed), releases their locks, and returns their ids. Called at start-up.
   */
  List<String> markInterrupted(Instant at, String reason);

  /** Records that process {@code processId} is alive at {@code at}. */
  void heartbeat(String processId, Instant at);

  /** Records that process {@code processId} executes {@code runId} (replacing an earlier owner). */
  void claimRun(String runId, String processId);

  /**
   * Like {@link #markInterrupted} for the runs of stopped processes only: runs in progress whose
   * owner's last heartbeat is before {@code aliveSince} (or that no process claimed and were
   * created before it). Safe to call from every process at any time.
   */
  List<String> markAbandoned(Instant at, Instant aliveSince, String reason);

  /** The process that claimed {@code runId} and its heartbeats; empty when none claimed it. */
  Optional<RunOwner> runOwner(String runId);

  /**
   * Like {@link #markInterrupted} for the given runs only (each a compare-and-set: a run no longer
   * pending or running is left); returns those it marked.
   */
  List<String> interruptRuns(List<String> runIds, Instant at, String reason);

  /**
   * Takes or renews the lease {@code name} for {@code holder} until {@code until}; true when the
   * holder has it. Nobody else gets it before it expires.
   */
  boolean holdLease(String name, String holder, Instant now, Instant until);

  /** Gives up the lease if {@code holder} has it. */
  void releaseLease(String name, String holder);

  /**
   * Appends a finished run (terminal status) to the tamper-evident hash chain. Idempotent: a sealed
   * run is not sealed again.
   */
  void seal(String runId);

  /** Recomputes the chain over all sealed runs. */
  default VerifyResult verify() {
    return verify(Optional.empty());
  }

  /**
   * Recomputes the chain over all sealed runs and, when given, checks that the {@code expected}
   * entry (a head recorded earlier, outside the database) is still in it, unchanged.
   */
  VerifyResult verify(Optional<ChainHead> expected);

  /** The newest sealed entry ({@code 0} and the genesis hash when nothing is sealed). */
  ChainHead head();

  /** What runs waiting for approval keep besides their row (plan inputs, secrets, places). */
  WaitingRunStore waitingRuns();

  @Override
  void close();
}
