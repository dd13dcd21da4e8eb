package io.intentbot.bot.chat;

import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.FailedRead;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.text.Durations;
import java.util.List;

/**
 * Renders the engine's typed outcomes ({@link Decision}, {@link Refusal}) as sentences for people:
 * one renderer for every adapter, two styles of showing who may decide. {@link #SLACK} mentions
 * approvers ({@code <@U123>}, {@code <!subteam^S123>}); {@link #PLAIN} (console, CLI) shows their
 * ids as the config names them.
 *
 * <pre>{@code
 * String text = OutcomeText.PLAIN.decision(engine.approve(runId, user));
 * }</pre>
 */
public final class OutcomeText {

  private static final java.time.format.DateTimeFormatter LOCK_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  /** Approvers as Slack mentions. */
  public static final OutcomeText SLACK = new OutcomeText(Mentions.SLACK);

  /** Approvers as plain ids. */
  public static final OutcomeText PLAIN = new OutcomeText(Mentions.IDS);

  private final Mentions approvers;

  private OutcomeText(Mentions approvers) {
    this.approvers = approvers;
  }

  /** Approvers shown as {@code approvers} shows them (an adapter's own mention style). */
  public static OutcomeText of(Mentions approvers) {
    return new OutcomeText(approvers);
  }

  /** The style for a chat that shows users as {@code mentions}: Slack's, else plain ids. */
  public static OutcomeText forChat(Mentions mentions) {
    return mentions == Mentions.SLACK ? SLACK : PLAIN;
  }

  public String decision(Decision decision) {
    return decision instanceof Decision.Accepted a
        ? accepted(a)
        : refusal(((Decision.Refused) decision).reason());
  }

  public String accepted(Decision.Accepted a) {
    String id = a.run().id();
    return switch (a.kind()) {
      case APPROVAL_RECORDED ->
          "approved ("
              + a.approvals()
              + " of "
              + a.required()
              + "); run "
              + id
              + " waits for "
              + (a.required() - a.approvals())
              + " more";
      case APPROVED_STARTING -> "approved by " + a.user() + "; run " + id + " is starting";
      case APPROVED_ALREADY_MOVED ->
          "approved; run " + id + " is already " + a.run().status().label();
      case REJECTED -> "rejected by " + a.user() + (a.comment() == null ? "" : ": " + a.comment());
      case CANCELLED -> "cancelled by " + a.user();
      case CANCELLING_PENDING -> "cancelling run " + id + " before it starts";
      case CANCELLING_RUNNING -> "cancelling run " + id + "; the step in progress is being stopped";
      case RECOVERED ->
          "the intentbot process running run "
              + id
              + " has stopped: the run is marked interrupted and its lock released";
      case ACKNOWLEDGED -> "acknowledged break-glass run " + id + "; it no longer needs review";
      case EXPIRED -> "the approval request for run " + id + " expired";
    };
  }

  public String refusal(Refusal refusal) {
    // Java 17: no pattern switch; every Refusal kind is rendered below.
    if (refusal instanceof Refusal.NoSuchRun r) {
      return "there is no run " + r.runId() + "; `history` lists recent runs";
    }
    if (refusal instanceof Refusal.NotWaiting r) {
      return "run " + r.runId() + " is " + r.status().label() + ", not waiting for approval";
    }
    if (refusal instanceof Refusal.AlreadyFinished r) {
      return "run " + r.runId() + " already " + r.status().label();
    }
    if (refusal instanceof Refusal.AlreadyEnded r) {
      return "run " + r.runId() + " is already " + r.status().label();
    }
    if (refusal instanceof Refusal.AlreadyDecided r) {
      return "you already decided on run " + r.runId();
    }
    if (refusal instanceof Refusal.SelfApproval r) {
      return "you requested run "
          + r.runId()
          + ", so you cannot "
          + r.action().verb()
          + " it yourself; ask "
          + whoMay(r.mayDecide());
    }
    if (refusal instanceof Refusal.NotAnApprover r) {
      return "you may not "
          + r.action().verb()
          + " runs in "
          + r.environment()
          + "; "
          + whoMay(r.mayDecide())
          + (r.requesterMay() ? " or the requester may" : " may")
          + (r.groupsUnchecked()
              ? "; membership of "
                  + join(r.mayDecide().groups().stream().map(approvers::group).toList())
                  + " cannot be checked here (no Slack bot token: set SLACK_BOT_TOKEN, or decide"
                  + " in Slack)"
              : "");
    }
    if (refusal instanceof Refusal.MayNotCancel r) {
      return "only the requester ("
          + r.requester()
          + ") or "
          + whoMay(r.approvers())
          + " may cancel run "
          + r.runId();
    }
    if (refusal instanceof Refusal.NoApprovers r) {
      return r.environment()
          + " has no approvers configured; set environments."
          + r.environment()
          + ".approval.approvers or .groups in the config";
    }
    if (refusal instanceof Refusal.Expired r) {
      return "the approval request for run "
          + r.runId()
          + " expired after "
          + Durations.format(r.after())
          + "; request the run again";
    }
    if (refusal instanceof Refusal.PlanChanged r) {
      return "the plan changed since it was shown ("
          + (r.changes().isEmpty()
              ? "intent file, parameters or config"
              : String.join(", ", r.changes()))
          + "); run "
          + r.runId()
          + " will not start: request it again to see the new plan";
    }
    if (refusal instanceof Refusal.PlanFormatChanged r) {
      return "the plan format changed with this version of intentbot, so the plan that was shown"
          + " cannot be checked; run "
          + r.runId()
          + " will not start: submit it again";
    }
    if (refusal instanceof Refusal.EnvironmentGone r) {
      return "environment '"
          + r.environment()
          + "' is no longer in the config; the run will not start";
    }
    if (refusal instanceof Refusal.NoLongerValid r) {
      return "the intent or its parameters are no longer valid ("
          + String.join("; ", r.problems())
          + "); the run will not start, request it again";
    }
    if (refusal instanceof Refusal.IntentNotLoaded r) {
      return "run "
          + r.runId()
          + " is a "
          + r.intent()
          + " run, and "
          + (r.broken()
              ? r.intent()
                  + ".yaml in "
                  + r.intentsDir()
                  + " is invalid (`intentbot lint` says why)"
              : "this intentbot has no intent " + r.intent() + " in " + r.intentsDir())
          + ": nothing was decided and the run is unchanged; use the intents folder of the process"
          + " that planned it (--intents DIR or INTENTBOT_INTENTS)";
    }
    if (refusal instanceof Refusal.InAnotherProcess r) {
      return "run "
          + r.runId()
          + " is "
          + r.status().label()
          + " in another intentbot process; cancel it there";
    }
    if (refusal instanceof Refusal.LockHeld r) {
      return "another run holds the lock "
          + r.key()
          + ": "
          + r.holder()
          + (r.holderIntent() == null
              ? ""
              : " ("
                  + r.holderIntent()
                  + " by "
                  + r.holderRequester()
                  + ", "
                  + r.holderStatus().label()
                  + (r.since() == null ? "" : " since " + LOCK_TIME.format(r.since()))
                  + ")")
          + (r.holderProcess() == null ? "" : ", in intentbot process " + r.holderProcess())
          + (Boolean.FALSE.equals(r.holderAlive())
              ? ", which has stopped; `cancel "
                  + r.holder()
                  + "` releases the lock now (else the next intentbot process to look does)"
              : (Boolean.TRUE.equals(r.holderAlive()) ? " (alive)" : "")
                  + "; try again when it finishes, or cancel it with `cancel "
                  + r.holder()
                  + "`");
    }
    if (refusal instanceof Refusal.IncompletePlan r) {
      return r.intent()
          + " in "
          + r.environment()
          + " needs approval, but its plan is incomplete, so nobody was asked to approve it: "
          + failedReads(r.failedReads())
          + "; request it again once that can be read (a --dry-run shows the plan)";
    }
    if (refusal instanceof Refusal.ShuttingDown r) {
      return "intentbot is shutting down; try again in a moment";
    }
    if (refusal instanceof Refusal.BreakGlassNotAllowed r) {
      return r.environment()
          + " does not allow break-glass runs; ask "
          + whoMay(r.approvers())
          + " to approve instead";
    }
    if (refusal instanceof Refusal.NothingToAcknowledge r) {
      return "run " + r.runId() + " did not skip approval; there is nothing to acknowledge";
    }
    if (refusal instanceof Refusal.AlreadyAcknowledged r) {
      return "break-glass run "
          + r.runId()
          + " was already acknowledged"
          + (r.by() == null ? "" : " by " + r.by());
    }
    if (refusal instanceof Refusal.AlreadyApproved r) {
      return "run "
          + r.runId()
          + " is already approved by "
          + String.join(", ", r.by().stream().map(approvers::user).toList())
          + " ("
          + r.status().label()
          + ")";
    }
    if (refusal instanceof Refusal.SecretsUnavailable r) {
      return "run "
          + r.runId()
          + " is cancelled: "
          + (r.why() == Refusal.SecretsLoss.MEMORY_ONLY
              ? "secret parameters are kept in memory only; submit again"
              : "its secret parameters cannot be decrypted here (INTENTBOT_SECRET_KEY is not set"
                  + " or differs from the one they were encrypted with); submit again");
    }
    if (refusal instanceof Refusal.RefusedByPolicy r) {
      return policy(r);
    }
    if (refusal instanceof Refusal.BreakGlassNotPermitted r) {
      return "only "
          + whoMay(r.who())
          + " may break glass in "
          + r.environment()
          + " (environments."
          + r.environment()
          + ".break_glass); ask one of them to approve the run instead";
    }
    if (refusal instanceof Refusal.NothingToBypass r) {
      return "nothing to bypass: "
          + r.intent()
          + (r.environment() == null ? "" : " in " + r.environment())
          + " needs no approval; run it without --break-glass";
    }
    if (refusal instanceof Refusal.Frozen r) {
      return r.environment()
          + " is frozen"
          + (r.reason() == null ? "" : " (" + r.reason() + ")")
          + " until "
          + RunText.when(r.until())
          + ": runs that change something are refused (environments."
          + r.environment()
          + ".freeze)"
          + (r.breakGlassAllowed()
              ? "; in an emergency, those allowed may use --break-glass \"reason\""
              : "");
    }
    if (refusal instanceof Refusal.ApprovalSourceNotAllowed r) {
      return "approvals of runs in "
          + r.environment()
          + " come from "
          + String.join(" or ", r.from().stream().map(OutcomeText::sourceName).toList())
          + " only, not from "
          + sourceName(r.source())
          + " (environments."
          + r.environment()
          + ".approval.from)";
    }
    if (refusal instanceof Refusal.LimitReached r) {
      return r.limit() == Refusal.Limit.RUNS_PER_USER
          ? "you have "
              + r.max()
              + (r.max() == 1 ? " run" : " runs")
              + " in progress, the most one person may have at once (limits.runs_per_user: "
              + r.max()
              + "): submit again when one has finished, or cancel one"
          : "intentbot has "
              + r.max()
              + (r.max() == 1 ? " run" : " runs")
              + " in progress, the most it takes at once (limits.runs_total: "
              + r.max()
              + "): submit again when some have finished";
    }
    if (refusal instanceof Refusal.UntrustedIdentity r) {
      return "operating-system user "
          + r.osUser()
          + " may not act as "
          + r.claimed()
          + ": only users listed in trusted_os_users may use --as; you act as "
          + r.self();
    }
    throw new IllegalArgumentException("no text for " + refusal);
  }

  /**
   * Why a plan is incomplete, for a dry run's answer: {@code the plan is incomplete: could not read
   * history (kubernetes.rollout-history): …}; null for a complete plan.
   */
  public String incomplete(Plan plan) {
    return plan.complete() ? null : "the plan is incomplete: " + failedReads(plan.failedReads());
  }

  /** Each reason once, after the steps that failed with it, in the order of the plan. */
  private static String failedReads(List<FailedRead> reads) {
    java.util.Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
    reads.forEach(
        r ->
            byReason
                .computeIfAbsent(r.reason(), k -> new java.util.ArrayList<>())
                .add("step " + r.step() + " (" + r.type() + ")"));
    List<String> parts = new java.util.ArrayList<>();
    byReason.forEach((reason, steps) -> parts.add(String.join(", ", steps) + ": " + reason));
    return "could not read " + String.join("; ", parts);
  }

  /**
   * {@code deploy-app in production: only members of S01DEPLOYERS, from #ops (access[2])}; or that
   * no rule lets anyone do it.
   */
  private String policy(Refusal.RefusedByPolicy r) {
    String what =
        r.intent()
            + (r.environments().isEmpty() ? "" : " in " + String.join(" and ", r.environments()));
    if (r.rule() == null) {
      return what
          + (r.environments().size() > 1
              ? ": no one access rule covers all of these environments, and a rule must name every"
                  + " environment a run touches"
              : ": no access rule allows it to anyone")
          + "; ask whoever runs intentbot to add one (access: in the config)";
    }
    String who =
        r.everyone()
            ? "everyone"
            : r.allows().users().isEmpty()
                ? "members of " + join(r.allows().groups().stream().map(approvers::group).toList())
                : whoMay(r.allows());
    String channels = join(r.channels().stream().map(approvers::channel).toList());
    if (r.everyone()) {
      return what + ": only from " + channels + " (" + r.rule() + ")" + unknownHere(r);
    }
    String where = r.channels().isEmpty() ? "" : ", from " + channels;
    return what + ": only " + who + where + " (" + r.rule() + ")" + unknownHere(r);
  }

  /**
   * Where group membership cannot be resolved: which groups cannot be checked, and who may run it
   * here instead (the users the rules name by id).
   */
  private String unknownHere(Refusal.RefusedByPolicy r) {
    Approvers here = r.groupsUnknownHere();
    if (here == null) {
      return "";
    }
    return "; membership of "
        + join(here.groups().stream().map(approvers::group).toList())
        + " cannot be checked here (no Slack bot token: set SLACK_BOT_TOKEN, or use Slack), so "
        + (here.users().isEmpty()
            ? "nobody"
            : "only one of "
                + String.join(", ", here.users().stream().map(approvers::user).toList()))
        + " may run it here";
  }

  private static String join(java.util.List<String> names) {
    return names.size() <= 1
        ? String.join("", names)
        : String.join(", ", names.subList(0, names.size() - 1))
            + " or "
            + names.get(names.size() - 1);
  }

  private static String sourceName(String source) {
    return "cli".equals(source) ? "the command line" : source == null ? "here" : source;
  }

  /** {@code one of U1, U2 or a member of S1}; {@code nobody (no approvers configured)}. */
  public String whoMay(Approvers who) {
    StringBuilder out = new StringBuilder();
    if (!who.users().isEmpty()) {
      out.append("one of ")
          .append(String.join(", ", who.users().stream().map(approvers::user).toList()));
    }
    if (!who.groups().isEmpty()) {
      if (out.length() > 0) {
        out.append(" or ");
      }
      out.append("a member of ")
          .append(String.join(", ", who.groups().stream().map(approvers::group).toList()));
    }
    return out.length() == 0 ? "nobody (no approvers configured)" : out.toString();
  }
}
