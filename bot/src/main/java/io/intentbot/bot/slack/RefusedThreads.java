package io.intentbot.bot.slack;

import io.intentbot.engine.Engine;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When Slack refuses a run's top message for good (the bot was removed from the channel, the
 * channel was archived), the people who need it are told directly, through the outbox: the
 * requester gets a DM saying where it failed and how to fix it, and, while the run waits for
 * approval, each approver (users and members of approver groups) gets a DM with the card and its
 * buttons. Nothing is posted in the channel.
 */
final class RefusedThreads implements SlackPoster.Undeliverable {

  private static final Logger log = LoggerFactory.getLogger(RefusedThreads.class);

  private final Engine engine;
  private final OutboxStore outbox;
  private final GroupDirectory groups;
  private final Runnable wake;

  RefusedThreads(Engine engine, OutboxStore outbox, GroupDirectory groups, Runnable wake) {
    this.engine = engine;
    this.outbox = outbox;
    this.groups = groups;
    this.wake = wake;
  }

  @Override
  public void headRefused(OutboxStore.Message head, String error) {
    RunRecord run = engine.run(head.runId()).orElse(null);
    if (run == null) {
      return;
    }
    String where = "<#" + head.channel() + ">";
    String fix =
        "channel_not_found".equals(error) || "not_in_channel".equals(error)
            ? " Invite @intentbot to " + where + " (`/invite @intentbot`) for the next runs."
            : "";
    boolean waiting = run.status() == RunStatus.WAITING_APPROVAL;
    outbox.add(
        run.id(),
        run.requester(),
        OutboxStore.Kind.NOTICE,
        SlackLimits.cut(
            "Slack would not let intentbot post run `"
                + SlackText.escape(run.id())
                + "` ("
                + SlackText.escape(run.intent())
                + ") in "
                + where
                + ": `"
                + SlackText.escape(String.valueOf(error))
                + "`."
                + (waiting ? " The approvers were sent the approval card directly." : "")
                + fix
                + " `status "
                + SlackText.escape(run.id())
                + "` shows how it goes.",
            SlackLimits.FALLBACK_TEXT),
        null);
    if (waiting && head.blocks() != null) {
      for (String approver : approvers(run)) {
        outbox.add(run.id(), approver, OutboxStore.Kind.NOTICE, head.body(), head.blocks());
      }
    }
    wake.run();
  }

  private Set<String> approvers(RunRecord run) {
    Set<String> users = new LinkedHashSet<>();
    if (run.environment() == null) {
      return users;
    }
    engine
        .config()
        .environment(run.environment())
        .ifPresent(
            env -> {
              users.addAll(env.approval().approvers());
              for (String group : env.approval().groups()) {
                try {
                  users.addAll(groups.members(group));
                } catch (RuntimeException e) {
                  log.warn("approver group {}: {}", group, e.toString());
                }
              }
            });
    if (!env(run)) {
      users.remove(run.requester());
    }
    return users;
  }

  private boolean env(RunRecord run) {
    return engine
        .config()
        .environment(run.environment())
        .map(e -> e.approval().selfApproval())
        .orElse(false);
  }
}
