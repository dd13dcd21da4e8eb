package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.LoadLimits;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Admits submissions under {@code limits.runs_per_user} and {@code limits.runs_total} ({@link
 * LoadLimits}) before the {@link SubmissionIntake} takes them: runs in progress (waiting for
 * approval, pending, running; dry runs aside) are counted in the audit store, so every process on
 * one database counts the same runs. A submission past a limit is refused with {@link
 * Refusal.LimitReached}, written to the access log like every refusal; nothing else is recorded.
 *
 * <p>Exact within a process: submissions admitted here and still being taken in count too, and when
 * only they could tip the count past a limit, the next one waits for them to end and counts again,
 * so concurrent submissions never pass a limit and are never refused below it.
 */
final class RunAdmission {

  static final List<RunStatus> IN_PROGRESS =
      List.of(RunStatus.PENDING, RunStatus.WAITING_APPROVAL, RunStatus.RUNNING);

  /** How long a submission waits for others still being taken in before it counts as over. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final LoadLimits limits;
  private final AuditStore audit;
  private final AccessJournal journal;
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int inFlightTotal;

  RunAdmission(LoadLimits limits, AuditStore audit, AccessJournal journal) {
    this.limits = limits;
    this.audit = audit;
    this.journal = journal;
  }

  /**
   * Takes {@code request} in through {@code intake} if the limits allow it; dry runs always. What
   * {@code refusedFirst} refuses (the access rules) is refused before the limits are counted, so a
   * limit never masks the rule that would refuse anyway.
   */
  Submission submit(
      RunRequest request,
      Function<RunRequest, Optional<Submission>> refusedFirst,
      Function<RunRequest, Submission> intake) {
    Optional<Submission> refused = refusedFirst.apply(request);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (request.dryRun()) {
      return intake.apply(request);
    }
    Optional<Refusal.LimitReached> over = admit(request.requester());
    if (over.isPresent()) {
      String action = request.breakGlassReason() != null ? "break-glass" : "run";
      return new Submission.Refused(
          journal.refused(
              Actor.of(request), action, request.intent(), null, List.of(), over.get()));
    }
    try {
      return intake.apply(request);
    } finally {
      taken(request.requester());
    }
  }

  private synchronized Optional<Refusal.LimitReached> admit(String requester) {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    while (true) {
      int mine = 0;
      int all = 0;
      for (RunRecord run : audit.runsInStatus(IN_PROGRESS)) {
        if (!run.dryRun()) {
          all++;
          mine += requester.equals(run.requester()) ? 1 : 0;
        }
      }
      int mineTaking = inFlight.getOrDefault(requester, 0);
      if (mine >= limits.runsPerUser()) {
        return over(Refusal.Limit.RUNS_PER_USER, requester);
      }
      if (all >= limits.runsTotal()) {
        return over(Refusal.Limit.RUNS_TOTAL, requester);
      }
      if (mine + mineTaking < limits.runsPerUser() && all + inFlightTotal < limits.runsTotal()) {
        inFlight.merge(requester, 1, Integer::sum);
        inFlightTotal++;
        return Optional.empty();
      }
      // Only submissions still being taken in could tip it: count again once one has ended.
      long left = deadline - System.nanoTime();
      Refusal.Limit tipped =
          mine + mineTaking >= limits.runsPerUser()
              ? Refusal.Limit.RUNS_PER_USER
              : Refusal.Limit.RUNS_TOTAL;
      if (left <= 0) {
        return over(tipped, requester);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return over(tipped, requester);
      }
    }
  }

  private synchronized void taken(String requester) {
    inFlight.computeIfPresent(requester, (user, n) -> n > 1 ? n - 1 : null);
    inFlightTotal--;
    notifyAll();
  }

  private Optional<Refusal.LimitReached> over(Refusal.Limit limit, String requester) {
    int max = limit == Refusal.Limit.RUNS_PER_USER ? limits.runsPerUser() : limits.runsTotal();
    return Optional.of(new Refusal.LimitReached(limit, max, requester));
  }
}
