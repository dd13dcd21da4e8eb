package io.intentbot.bot.slack;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import io.intentbot.engine.model.RunRecord;
import java.util.function.Predicate;

/**
 * Announces break-glass runs in {@code slack.break_glass_channel}: the alert is sent by the {@link
 * RunEvent.RunStarted} event of a run that skipped approval (its origin carries the break-glass
 * reason), never by anything a run prints. A step output line that reads like an alert is only
 * output, quoted in its thread.
 */
public final class BreakGlassAlerts implements RunListener {

  private final OutboxStore outbox;
  private final Runnable wake;
  private final String channel;
  private final IntentbotConfig config;
  private final Predicate<RunRecord> follows;

  /**
   * @param channel where to announce, or null for nowhere
   * @param follows which runs are this adapter's (Slack runs, not dry runs)
   */
  public BreakGlassAlerts(
      OutboxStore outbox,
      Runnable wake,
      String channel,
      IntentbotConfig config,
      Predicate<RunRecord> follows) {
    this.outbox = outbox;
    this.wake = wake;
    this.channel = channel;
    this.config = config;
    this.follows = follows;
  }

  @Override
  public void onEvent(RunEvent event) {
    if (channel == null || !(event instanceof RunEvent.RunStarted)) {
      return;
    }
    RunRecord run = event.run();
    String reason = run.origin().get("break_glass");
    if (reason == null || !follows.test(run)) {
      return;
    }
    outbox.add(run.id(), channel, OutboxStore.Kind.NOTICE, text(run, reason), null);
    wake.run();
  }

  /** The alert: who broke glass, why, who must review it, and where the run's thread is. */
  String text(RunRecord run, String reason) {
    String environment = run.approvalEnvironment();
    String reviewers =
        config
            .environment(environment == null ? "" : environment)
            .map(env -> SlackText.MENTIONS.approvers(env.approval()))
            .orElse(null);
    String where = run.origin().get("channel");
    String text =
        ":rotating_light: BREAK GLASS by "
            + SlackText.MENTIONS.user(run.requester())
            + ": "
            + reason
            + ". Ran "
            + run.intent()
            + (environment == null ? "" : " in " + environment)
            + " without approval; needs review"
            + (reviewers == null ? "." : " by " + reviewers + ".")
            + " (run `"
            + run.id()
            + "`"
            + (where == null ? "" : " in " + SlackText.MENTIONS.channel(where))
            + ")";
    return SlackLimits.cut(SlackText.mrkdwn(text), SlackLimits.FALLBACK_TEXT);
  }
}
