package io.intentbot.engine.audit;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.ReviewRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@link AuditStore} on a JDBC database (H2 or PostgreSQL) whose schema is already migrated;
 * get one from {@link AuditStores#open}. Every call uses its own connection (or one transaction),
 * so the store is safe for any number of threads, and for several processes on one database:
 * compare-and-set updates, primary keys and row locks (the run's, the chain head's) keep them from
 * stepping on each other.
 *
 * <p>A sealed run is final: {@link #updateRun} and {@link #saveStep} on it fail, {@link
 * #recordApproval} ignores a decision on it (returns false), so nothing the store writes ever reads
 * as tampering. {@link #transition} keeps the stored reason when given none. Timestamps are kept to
 * the millisecond. Output values come back as Jackson reads JSON: whole numbers as {@code Integer}
 * or {@code Long} by size, lists as {@code List}, objects as {@code Map}.
 */
public final class JdbcAuditStore implements AuditStore {

  private final Jdbc jdbc;
  private final LockTable locks;
  private final Interrupter interrupter;
  private final ProcessTable processes;
  private final LeaseTable leases;
  private final ChainSealer sealer;
  private final ChainVerifier verifier;
  private final WaitingRunStore waitingRuns;
  private final ReadPositions positions;
  private final AutoCloseable onClose;
  private volatile Optional<String> stepUpsert;

  /**
   * A store on {@code dataSource}, which must already hold the schema from {@code db/audit}. {@code
   * onClose} runs on {@link #close()} (e.g. to close a pool); {@code clock} stamps seals.
   */
  public JdbcAuditStore(DataSource dataSource, Clock clock, AutoCloseable onClose) {
    this(dataSource, clock, onClose, Optional.empty());
  }

  /** As above; with a {@code key}, seals carry its MAC and {@link #verify} checks them. */
  public JdbcAuditStore(
      DataSource dataSource, Clock clock, AutoCloseable onClose, Optional<AuditKey> key) {
    this.jdbc = new Jdbc(dataSource);
    this.locks = new LockTable(jdbc);
    this.interrupter = new Interrupter(jdbc);
    this.processes = new ProcessTable(jdbc);
    this.leases = new LeaseTable(jdbc);
    this.sealer = new ChainSealer(jdbc, clock, key);
    this.verifier = new ChainVerifier(jdbc, key);
    this.waitingRuns = new JdbcWaitingRunStore(jdbc, sealer);
    this.positions = new ReadPositions(jdbc);
    this.onClose = onClose;
  }

  @Override
  public WaitingRunStore waitingRuns() {
    return waitingRuns;
  }

  @Override
  public void createRun(RunRecord run) {
    jdbc.withConnection(
        "create run " + run.id(),
        connection -> {
          try {
            return Jdbc.update(connection, RunRows.INSERT, RunRows.insertParams(run));
          } catch (SQLException e) {
            if (Jdbc.isDuplicateKey(e)) {
              throw new AuditStoreException("audit store: run " + run.id() + " exists already", e);
            }
            throw e;
          }
        });
  }

  @Override
  public void updateRun(RunRecord run) {
    jdbc.withConnection(
        "update run " + run.id(),
        connection -> {
          if (Jdbc.update(connection, RunRows.UPDATE, RunRows.updateParams(run)) == 0) {
            throw ChainRows.link(connection, run.id()).isPresent()
                ? SealGuard.sealed(run.id(), "record")
                : new AuditStoreException("audit store: no run " + run.id() + " to update");
          }
          return null;
        });
  }

  @Override
  public boolean transition(String runId, RunStatus from, RunStatus to, String reason) {
    return jdbc.withConnection(
            "move run " + runId + " to " + to.label(),
            connection ->
                Jdbc.update(
                    connection,
                    "UPDATE runs SET status = ?, reason = COALESCE(?, reason)"
                        + " WHERE id = ? AND status = ?",
                    to.label(),
                    reason,
                    runId,
                    from.label()))
        == 1;
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return jdbc.withConnection(
        "read run " + runId,
        connection ->
            Jdbc.query(connection, RunRows.SELECT + " WHERE id = ?", RunRows::read, runId).stream()
                .findFirst());
  }

  @Override
  public List<RunRecord> recentRuns(String intent, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    String order = " ORDER BY created_at DESC, id DESC LIMIT ?";
    return jdbc.withConnection(
        "list recent runs",
        connection ->
            intent == null
                ? Jdbc.query(connection, RunRows.SELECT + order, RunRows::read, limit)
                : Jdbc.query(
                    connection,
                    RunRows.SELECT + " WHERE intent = ?" + order,
                    RunRows::read,
                    intent,
                    limit));
  }

  @Override
  public List<RunRecord> runsInStatus(List<RunStatus> statuses) {
    if (statuses.isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", Collections.nCopies(statuses.size(), "?"));
    Object[] labels = statuses.stream().map(RunStatus::label).toArray();
    return jdbc.withConnection(
        "list runs by status",
        connection ->
            Jdbc.query(
                connection,
                RunRows.SELECT + " WHERE status IN (" + marks + ") ORDER BY created_at, id",
                RunRows::read,
                labels));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction that locks the run's row first (so that a write and a seal of one run never
   * interleave) and refuses a sealed run. On PostgreSQL that is one statement in auto-commit mode:
   * one round trip to the server instead of three.
   */
  @Override
  public void saveStep(StepRecord step) {
    if (isPostgres()) {
      jdbc.withConnection(
          "save step " + step.index() + " of run " + step.runId(),
          connection -> {
            if (Jdbc.update(
                    connection, StepRows.GUARDED_UPSERT_POSTGRES, StepRows.guardedParams(step))
                == 0) {
              throw ChainRows.link(connection, step.runId()).isPresent()
                  ? SealGuard.sealed(step.runId(), "steps")
                  : new AuditStoreException("audit store: no run " + step.runId());
            }
            return null;
          });
      return;
    }
    jdbc.inTransaction(
        "save step " + step.index() + " of run " + step.runId(),
        connection -> {
          if (!SealGuard.lockOpenRun(connection, step.runId())) {
            throw SealGuard.sealed(step.runId(), "steps");
          }
          String upsert = stepUpsert(connection);
          if (upsert != null) {
            Jdbc.update(connection, upsert, StepRows.insertParams(step));
          } else if (Jdbc.update(connection, StepRows.UPDATE, StepRows.updateParams(step)) == 0) {
            Jdbc.update(connection, StepRows.INSERT, StepRows.insertParams(step));
          }
          return null;
        });
  }

  /** Whether the store is on PostgreSQL, learnt from the first connection. */
  private boolean isPostgres() {
    Optional<String> known = stepUpsert;
    if (known == null) {
      known = jdbc.withConnection("read the database's kind", this::learnUpsert);
    }
    return known.isPresent() && known.get().equals(StepRows.UPSERT_POSTGRES);
  }

  private Optional<String> learnUpsert(Connection connection) throws SQLException {
    Optional<String> known = Optional.ofNullable(StepRows.upsert(connection));
    stepUpsert = known;
    return known;
  }

  /**
   * The database's insert-or-update of a step (one statement and one round trip instead of an
   * update followed by an insert for every step that starts), learnt from the first connection.
   */
  private String stepUpsert(Connection connection) throws SQLException {
    Optional<String> known = stepUpsert;
    if (known == null) {
      known = learnUpsert(connection);
    }
    return known.orElse(null);
  }

  @Override
  public List<StepRecord> steps(String runId) {
    return jdbc.withConnection(
        "read steps of run " + runId,
        connection -> Jdbc.query(connection, StepRows.SELECT_FOR_RUN, StepRows::read, runId));
  }

  @Override
  public boolean recordApproval(ApprovalRecord approval) {
    return jdbc.inTransaction(
        "record a decision on run " + approval.runId(),
        connection -> {
          ChainRows.Head head = ChainRows.lockHead(connection);
          if (!SealGuard.lockOpenRun(connection, approval.runId())) {
            return false;
          }
          boolean decided =
              !Jdbc.query(
                      connection,
                      "SELECT user_id FROM approvals WHERE run_id = ? AND user_id = ?",
                      row -> row.getString("user_id"),
                      approval.runId(),
                      approval.user())
                  .isEmpty();
          if (decided) {
            return false;
          }
          Jdbc.update(connection, ApprovalRows.INSERT, ApprovalRows.insertParams(approval));
          sealer.append(connection, head, ChainEntry.approval(approval.runId(), approval.user()));
          return true;
        });
  }

  @Override
  public List<ApprovalRecord> approvals(String runId) {
    return jdbc.withConnection(
        "read decisions on run " + runId,
        connection ->
            new ArrayList<>(
                Jdbc.query(connection, ApprovalRows.SELECT_FOR_RUN, ApprovalRows::read, runId)));
  }

  @Override
  public void heartbeat(String processId, Instant at) {
    processes.heartbeat(processId, at);
  }

  @Override
  public void claimRun(String runId, String processId) {
    processes.claim(runId, processId);
  }

  @Override
  public List<String> markAbandoned(Instant at, Instant aliveSince, String reason) {
    return interrupter.markAbandoned(processes, at, aliveSince, reason);
  }

  @Override
  public Optional<RunOwner> runOwner(String runId) {
    return processes.owner(runId);
  }

  @Override
  public List<String> interruptRuns(List<String> runIds, Instant at, String reason) {
    return interrupter.interrupt(runIds, at, reason);
  }

  @Override
  public boolean holdLease(String name, String holder, Instant now, Instant until) {
    return leases.hold(name, holder, now, until);
  }

  @Override
  public void releaseLease(String name, String holder) {
    leases.release(name, holder);
  }

  @Override
  public boolean recordReview(ReviewRecord review) {
    return jdbc.inTransaction(
        "record a review of run " + review.runId(),
        connection -> {
          ChainRows.Head head = ChainRows.lockHead(connection);
          if (!Jdbc.query(connection, ReviewRows.SELECT_FOR_RUN, ReviewRows::read, review.runId())
              .isEmpty()) {
            return false;
          }
          Jdbc.update(connection, ReviewRows.INSERT, ReviewRows.insertParams(review));
          sealer.append(connection, head, ChainEntry.acknowledgement(review.runId()));
          return true;
        });
  }

  @Override
  public Optional<ReviewRecord> review(String runId) {
    return jdbc.withConnection(
        "read the review of run " + runId,
        connection ->
            Jdbc.query(connection, ReviewRows.SELECT_FOR_RUN, ReviewRows::read, runId).stream()
                .findFirst());
  }

  @Override
  public AccessEvent recordAccess(AccessEvent event) {
    return jdbc.inTransaction(
        "record an access log entry",
        connection -> {
          ChainRows.Head head = ChainRows.lockHead(connection); // also orders the ids
          Jdbc.update(connection, AccessRows.INSERT, AccessRows.insertParams(event));
          long id = Jdbc.query(connection, AccessRows.LAST_ID, row -> row.getLong("id")).get(0);
          sealer.append(connection, head, ChainEntry.access(id));
          return event.withId(id);
        });
  }

  @Override
  public List<AccessEvent> refusedAttempts(int limit) {
    return jdbc.withConnection(
        "list refused attempts",
        connection -> Jdbc.query(connection, AccessRows.REFUSED, AccessRows::read, limit));
  }

  @Override
  public List<AccessEvent> accessDecisionsAfter(long id) {
    return jdbc.withConnection(
        "list decisions made outside Slack",
        connection -> Jdbc.query(connection, AccessRows.DECISIONS_AFTER, AccessRows::read, id));
  }

  @Override
  public long lastAccessId() {
    return jdbc.withConnection(
        "read the access log's last id",
        connection -> Jdbc.query(connection, AccessRows.LAST_ID, row -> row.getLong("id")).get(0));
  }

  @Override
  public long readPosition(String reader, long start) {
    return positions.position(reader, start);
  }

  @Override
  public void advanceReadPosition(String reader, long position) {
    positions.advance(reader, position);
  }

  @Override
  public List<RunRecord> runsAwaitingReview() {
    return jdbc.withConnection(
        "list break-glass runs awaiting review",
        connection -> Jdbc.query(connection, ReviewRows.AWAITING, RunRows::read));
  }

  @Override
  public Optional<String> tryLock(String key, String runId, Instant at) {
    return locks.tryLock(key, runId, at);
  }

  @Override
  public void releaseLock(String key, String runId) {
    locks.release(key, runId);
  }

  @Override
  public Optional<String> lockHolder(String key) {
    return locks.holder(key);
  }

  @Override
  public List<String> markInterrupted(Instant at, String reason) {
    return interrupter.markInterrupted(at, reason);
  }

  @Override
  public void seal(String runId) {
    sealer.seal(runId);
  }

  @Override
  public VerifyResult verify(Optional<ChainHead> expected) {
    return verifier.verify(expected);
  }

  @Override
  public ChainHead head() {
    return verifier.head();
  }

  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      throw new AuditStoreException("audit store: close failed: " + e.getMessage(), e);
    }
  }
}
