package io.intentbot.engine.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Why the engine refused a request or a decision, as data: adapters render it for people (Slack
 * with mentions, the console and CLI with plain ids), tests and policies match on it. {@link
 * #describe} is its neutral text for the audit record.
 */
public sealed interface Refusal {

  /**
   * What was refused, the rule that refused it and, where this refusal knows it, who would be
   * allowed, in one neutral line for the record (the access log that {@code intentbot history
   * --refused} and SQL read): plain English, ids as the config names them, no chat markup. Each
   * adapter still renders its own sentences for people.
   */
  String describe();

  /** What somebody tried to do to a run. */
  enum Action {
    APPROVE,
    REJECT,
    ACKNOWLEDGE,
    CANCEL;

    /** {@code approve}, {@code reject}, {@code acknowledge}, {@code cancel}. */
    public String verb() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** No run has this id. */
  record NoSuchRun(String runId) implements Refusal {
    @Override
    public String describe() {
      return "there is no run " + runId;
    }
  }

  /**
   * This process cannot interpret the run: its intent is not in this process's intents folder (a
   * command started without the {@code --intents} of the process that planned it, or the file was
   * removed or broken since). Nothing is decided on such a run; it stays as it was.
   *
   * @param runId the run
   * @param intent its intent
   * @param intentsDir the intents folder this process loaded
   * @param broken whether the intent's file is there but invalid
   */
  record IntentNotLoaded(String runId, String intent, String intentsDir, boolean broken)
      implements Refusal {
    @Override
    public String describe() {
      return "run "
          + runId
          + " cannot be decided here: intent "
          + intent
          + (broken ? " is invalid in " : " is not in ")
          + intentsDir;
    }
  }

  /** An approval or rejection for a run that is not (or no longer) waiting for approval. */
  record NotWaiting(String runId, RunStatus status) implements Refusal {
    @Override
    public String describe() {
      return "run " + runId + " is " + status.label() + ", not waiting for approval";
    }
  }

  /** A cancel for a run that already ended. */
  record AlreadyFinished(String runId, RunStatus status) implements Refusal {
    @Override
    public String describe() {
      return "run " + runId + " already " + status.label();
    }
  }

  /** Somebody else ended the waiting run first (approved it, rejected it, it expired). */
  record AlreadyEnded(String runId, RunStatus status) implements Refusal {
    @Override
    public String describe() {
      return "run " + runId + " already ended: " + status.label();
    }
  }

  /** This user already approved or rejected this run. */
  record AlreadyDecided(String runId, String user) implements Refusal {
    @Override
    public String describe() {
      return user + " already decided on run " + runId;
    }
  }

  /** The requester may not approve (or acknowledge) their own run here; {@code mayDecide} may. */
  record SelfApproval(String runId, Action action, Approvers mayDecide) implements Refusal {
    @Override
    public String describe() {
      return "the requester may not "
          + action.verb()
          + " their own run "
          + runId
          + " (self-approval is not allowed): only "
          + mayDecide.describe()
          + ", other than the requester, may";
    }
  }

  /**
   * The user is not among those who may do {@code action} in {@code environment}; {@code
   * requesterMay} says whether the run's requester may too (rejecting their own request); {@code
   * groupsUnchecked} says that group membership cannot be checked where the user asked (a terminal
   * without a Slack bot token), so only the users named by id may decide there.
   */
  record NotAnApprover(
      String environment,
      Action action,
      Approvers mayDecide,
      boolean requesterMay,
      boolean groupsUnchecked)
      implements Refusal {
    @Override
    public String describe() {
      return "not an approver of runs in "
          + environment
          + " (environments."
          + environment
          + ".approval): only "
          + mayDecide.describe()
          + (requesterMay ? " or the requester" : "")
          + " may "
          + action.verb()
          + (groupsUnchecked
              ? "; group membership could not be checked where this was asked, so only the users"
                  + " named may decide there"
              : "");
    }
  }

  /** Only the requester or the environment's approvers may cancel this run. */
  record MayNotCancel(String runId, String requester, Approvers approvers) implements Refusal {
    @Override
    public String describe() {
      return "only the requester ("
          + requester
          + "), "
          + approvers.describe()
          + " (approvers and admins) may cancel run "
          + runId;
    }
  }

  /** The environment names nobody who may approve. */
  record NoApprovers(String environment) implements Refusal {
    @Override
    public String describe() {
      return environment
          + " names nobody who may approve (environments."
          + environment
          + ".approval.approvers and .groups)";
    }
  }

  /** The approval request ran out of time; the run is expired. */
  record Expired(String runId, Duration after) implements Refusal {
    @Override
    public String describe() {
      return "the approval request for run "
          + runId
          + " expired after "
          + io.intentbot.engine.text.Durations.format(after);
    }
  }

  /**
   * The plan differs from the one shown to approvers; the run is cancelled. {@code changes} lists
   * what changed when known (empty: the intent file, parameters or config).
   */
  record PlanChanged(String runId, List<String> changes) implements Refusal {
    @Override
    public String describe() {
      return "the plan of run "
          + runId
          + " changed since it was shown ("
          + (changes.isEmpty() ? "intent file, parameters or config" : String.join(", ", changes))
          + "); the run is cancelled";
    }

    public PlanChanged {
      changes = List.copyOf(changes);
    }
  }

  /**
   * The waiting run's plan hash was computed in a format this version of intentbot no longer makes
   * (every input it can compare is unchanged, or the run was recorded before inputs were kept), so
   * the plan approvers saw cannot be checked against the plan that would run; the run is cancelled
   * and must be submitted again.
   */
  record PlanFormatChanged(String runId) implements Refusal {
    @Override
    public String describe() {
      return "the plan of run "
          + runId
          + " was hashed in a format this version no longer makes, so it cannot be checked; the"
          + " run is cancelled";
    }
  }

  /** The run's environment left the config while it waited; the run is cancelled. */
  record EnvironmentGone(String runId, String environment) implements Refusal {
    @Override
    public String describe() {
      return "environment "
          + environment
          + " of run "
          + runId
          + " is no longer in the config; the run is cancelled";
    }
  }

  /** The intent or the run's parameters stopped being valid while it waited; it is cancelled. */
  record NoLongerValid(String runId, List<String> problems) implements Refusal {
    @Override
    public String describe() {
      return "the intent or parameters of run "
          + runId
          + " are no longer valid ("
          + String.join("; ", problems)
          + "); the run is cancelled";
    }

    public NoLongerValid {
      problems = List.copyOf(problems);
    }
  }

  /** The run executes in another intentbot process, which alone can stop its step. */
  record InAnotherProcess(String runId, RunStatus status) implements Refusal {
    @Override
    public String describe() {
      return "run "
          + runId
          + " is "
          + status.label()
          + " in another intentbot process, which alone can stop it";
    }
  }

  /**
   * Another run holds the intent's lock.
   *
   * @param key the rendered lock key
   * @param holder the run holding it
   * @param holderIntent its intent, or null when that run is not recorded
   * @param holderRequester who requested it, or null
   * @param holderStatus its status, or null
   * @param since when the holder started (or was requested, before it started), or null
   * @param holderProcess the intentbot process executing the holder, or null when none claimed it
   * @param holderAlive whether that process is alive, or null when none claimed it; a stopped one's
   *     run is marked interrupted (its lock released) by the next look, or at once by {@code
   *     cancel}
   */
  record LockHeld(
      String key,
      String holder,
      String holderIntent,
      String holderRequester,
      RunStatus holderStatus,
      Instant since,
      String holderProcess,
      Boolean holderAlive)
      implements Refusal {
    @Override
    public String describe() {
      return "lock "
          + key
          + " is held by run "
          + holder
          + (holderIntent == null
              ? ""
              : " (" + holderIntent + " by " + holderRequester + ", " + holderStatus.label() + ")")
          + (holderProcess == null
              ? ""
              : " in intentbot process "
                  + holderProcess
                  + (Boolean.FALSE.equals(holderAlive) ? ", which has stopped" : ""));
    }
  }

  /**
   * The run needs approval, but its plan is incomplete: {@code failedReads} could not be read while
   * it was planned, so approvers would be shown guesses. Nothing was recorded; request it again
   * once the reads work (a dry run shows them).
   */
  record IncompletePlan(String intent, String environment, List<FailedRead> failedReads)
      implements Refusal {
    @Override
    public String describe() {
      return intent
          + " in "
          + environment
          + " needs approval, but its plan is incomplete, so nobody was asked: could not read "
          + String.join(
              "; ",
              failedReads.stream()
                  .map(r -> "step " + r.step() + " (" + r.type() + "): " + r.reason())
                  .toList());
    }

    public IncompletePlan {
      failedReads = List.copyOf(failedReads);
    }
  }

  /** The engine is closing and takes no new runs. */
  record ShuttingDown() implements Refusal {
    @Override
    public String describe() {
      return "intentbot is shutting down";
    }
  }

  /** The environment does not allow skipping approval; {@code approvers} may approve instead. */
  record BreakGlassNotAllowed(String environment, Approvers approvers) implements Refusal {
    @Override
    public String describe() {
      return environment
          + " does not allow break glass (environments."
          + environment
          + ".break_glass): "
          + approvers.describe()
          + " may approve instead";
    }
  }

  /** A break-glass acknowledgement for a run that did not skip approval. */
  record NothingToAcknowledge(String runId) implements Refusal {
    @Override
    public String describe() {
      return "run " + runId + " did not skip approval: there is nothing to acknowledge";
    }
  }

  /** The break-glass run was acknowledged already, by {@code by} (null when not known). */
  record AlreadyAcknowledged(String runId, String by) implements Refusal {
    @Override
    public String describe() {
      return "break-glass run "
          + runId
          + " was already acknowledged"
          + (by == null ? "" : " by " + by);
    }
  }

  /**
   * No access rule covers the request: its intent in every environment it touches, its requester
   * and its channel.
   *
   * @param rule the rule that would allow it to somebody ({@code access[2]}), or null when none
   *     covers the intent in these environments
   * @param allows whom that rule covers
   * @param intent the intent
   * @param environments the environments the request touches
   * @param channels the channels that rule requires (empty: any)
   * @param groupsUnknownHere null where group membership is known; where it cannot be resolved (the
   *     CLI or console without a Slack bot token), the groups of the rules that would cover the
   *     request, whose members may therefore not run it here, and the users those rules name by id,
   *     who may
   */
  record RefusedByPolicy(
      String rule,
      Approvers allows,
      String intent,
      List<String> environments,
      List<String> channels,
      Approvers groupsUnknownHere)
      implements Refusal {
    @Override
    public String describe() {
      return what()
          + (rule == null
              ? ": no access rule allows it to anyone (access)"
              : ": only "
                  + (everyone()
                      ? "everyone"
                      : allows.users().isEmpty()
                          ? "a member of " + String.join(", ", allows.groups())
                          : allows.describe())
                  + (channels.isEmpty() ? "" : ", from channel " + String.join(" or ", channels))
                  + " ("
                  + rule
                  + ")")
          + (groupsUnknownHere == null
              ? ""
              : "; group membership could not be checked where this was asked, so "
                  + (groupsUnknownHere.users().isEmpty()
                      ? "nobody"
                      : "only " + String.join(", ", groupsUnknownHere.users()))
                  + " may run it there");
    }

    private String what() {
      return intent + (environments.isEmpty() ? "" : " in " + String.join(" and ", environments));
    }

    public RefusedByPolicy {
      environments = List.copyOf(environments);
      channels = List.copyOf(channels);
    }

    /** A refusal where group membership is known. */
    public RefusedByPolicy(
        String rule,
        Approvers allows,
        String intent,
        List<String> environments,
        List<String> channels) {
      this(rule, allows, intent, environments, channels, null);
    }

    /** Whether the rule covers everyone ({@code users: ["*"]}). */
    public boolean everyone() {
      return allows.users().contains("*");
    }
  }

  /** Break glass in {@code environment} is allowed, but only to {@code who}. */
  record BreakGlassNotPermitted(String environment, Approvers who) implements Refusal {
    @Override
    public String describe() {
      return "break glass in "
          + environment
          + " is only for "
          + who.describe()
          + " (environments."
          + environment
          + ".break_glass)";
    }
  }

  /** {@code --break-glass} where the run needs no approval: there is nothing to bypass. */
  record NothingToBypass(String intent, String environment) implements Refusal {
    @Override
    public String describe() {
      return "break glass for "
          + intent
          + (environment == null ? "" : " in " + environment)
          + ", which needs no approval: nothing to bypass (break_glass)";
    }
  }

  /**
   * The environment is frozen for mutating runs until {@code until}; break glass still works where
   * it is allowed.
   */
  record Frozen(String environment, String reason, Instant until, boolean breakGlassAllowed)
      implements Refusal {
    @Override
    public String describe() {
      return environment
          + " is frozen"
          + (reason == null ? "" : " (" + reason + ")")
          + " until "
          + until
          + " for runs that change something (environments."
          + environment
          + ".freeze)";
    }
  }

  /**
   * An approval (or rejection) from {@code source} where {@code environment}'s {@code
   * approval.from} lists only {@code from}.
   */
  record ApprovalSourceNotAllowed(String environment, String source, List<String> from)
      implements Refusal {
    @Override
    public String describe() {
      return "approvals of runs in "
          + environment
          + " come only from "
          + String.join(" or ", from)
          + ", not from "
          + source
          + " (environments."
          + environment
          + ".approval.from)";
    }

    public ApprovalSourceNotAllowed {
      from = List.copyOf(from);
    }
  }

  /**
   * Enough approvals are in already: {@code by} gave them, in the order they were recorded; the run
   * is {@code status} now.
   */
  record AlreadyApproved(String runId, List<String> by, RunStatus status) implements Refusal {
    @Override
    public String describe() {
      return "run "
          + runId
          + " is already approved by "
          + String.join(", ", by)
          + " ("
          + status.label()
          + ")";
    }

    public AlreadyApproved {
      by = List.copyOf(by);
    }
  }

  /**
   * The run's secret parameters cannot be had by the process that was asked to start it; the run is
   * cancelled (a masked value is never passed to a step).
   */
  record SecretsUnavailable(String runId, SecretsLoss why) implements Refusal {
    @Override
    public String describe() {
      return "the secret parameters of run "
          + runId
          + (why == SecretsLoss.MEMORY_ONLY
              ? " were kept in memory only, by another process"
              : " cannot be decrypted with this process's key (INTENTBOT_SECRET_KEY)")
          + "; the run is cancelled";
    }
  }

  /** Why a waiting run's secret parameters are not available. */
  enum SecretsLoss {
    /** They were kept in memory only (no {@code INTENTBOT_SECRET_KEY}), by another process. */
    MEMORY_ONLY,
    /** They are encrypted, but this process's key does not open them (none, or another one). */
    UNREADABLE
  }

  /**
   * An operating-system user asked to act as {@code claimed} ({@code --as}) but is not listed in
   * {@code trusted_os_users}; they act as {@code self}.
   */
  record UntrustedIdentity(String osUser, String claimed, String self) implements Refusal {
    @Override
    public String describe() {
      return "operating-system user "
          + osUser
          + " may not act as "
          + claimed
          + " (trusted_os_users); acts as "
          + self;
    }
  }

  /**
   * A load limit of config's {@code limits:} is reached: {@code max} runs are in progress (waiting
   * for approval, queued or running) for the requester ({@link Limit#RUNS_PER_USER}) or in all
   * (across every process on the audit database). Nothing was recorded; submit again once one ends.
   */
  record LimitReached(Limit limit, int max, String requester) implements Refusal {
    @Override
    public String describe() {
      return (limit == Limit.RUNS_PER_USER
              ? requester + " has " + max + " runs in progress, the most one person may have"
              : max + " runs are in progress, the most intentbot takes")
          + " (limits."
          + limit.key()
          + ")";
    }
  }

  /** The load limits a submission can reach. */
  enum Limit {
    /** {@code limits.runs_per_user}: runs in progress for one requester. */
    RUNS_PER_USER("runs_per_user"),
    /** {@code limits.runs_total}: runs in progress in all. */
    RUNS_TOTAL("runs_total");

    private final String key;

    Limit(String key) {
      this.key = key;
    }

    /** The key under {@code limits:} in config, e.g. {@code runs_per_user}. */
    public String key() {
      return key;
    }
  }
}
