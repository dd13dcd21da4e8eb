package io.intentbot.bot.chat;

import io.intentbot.engine.model.RunRecord;
import java.util.List;

/**
 * What a run's top message shows, chat-neutral: adapters render it (Slack blocks, console text).
 *
 * @param run the run as last seen
 * @param state one line: "waiting for approval (0 of 1)", "running step 2 of 3: rollout", …
 * @param plan the plan text shown to approvers, or null
 * @param awaitingApproval whether Approve and Reject are offered
 * @param approvers who may approve, as text, or null
 * @param approvedBy who approved so far
 * @param breakGlass the break-glass reason, or null
 */
public record RunHead(
    RunRecord run,
    String state,
    String plan,
    boolean awaitingApproval,
    String approvers,
    List<String> approvedBy,
    String breakGlass) {

  public RunHead {
    approvedBy = List.copyOf(approvedBy);
  }

  /** Plain text of the head, for the console and for Slack's notification fallback. */
  public String text(Mentions mentions) {
    StringBuilder out = new StringBuilder();
    if (breakGlass != null) {
      out.append("BREAK GLASS: ").append(breakGlass).append(" - ");
      if (approvers != null) {
        out.append(approvers).append(" please review. ");
      }
    }
    out.append(run.intent())
        .append(' ')
        .append(RunText.parameters(run))
        .append(" · requested by ")
        .append(mentions.user(run.requester()))
        .append(" · run ")
        .append(run.id())
        .append(" · ")
        .append(state);
    if (!approvedBy.isEmpty()) {
      out.append(" · approved by ")
          .append(String.join(", ", approvedBy.stream().map(mentions::user).toList()));
    }
    return out.toString();
  }
}
