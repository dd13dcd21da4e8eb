package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.FailedRead;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The words of the engine's typed outcomes, as people read them (these sentences were the engine's
 * messages before outcomes became types; the engine tests now check the types).
 */
class OutcomeTextTest {

  static final Approvers APPROVERS = new Approvers(List.of("U_ALICE", "U_BOB"), List.of("S_SRE"));
  static final String ID = "r-abcdefgh";

  static RunRecord run(RunStatus status) {
    return new RunRecord(
        ID,
        "deploy-app",
        Map.of("app", "web"),
        "U_CAROL",
        "production",
        "web",
        status,
        false,
        "hash",
        null,
        Instant.parse("2026-11-25T10:00:00Z"),
        null,
        null,
        Map.of(),
        null,
        Map.of());
  }

  final OutcomeText plain = OutcomeText.PLAIN;

  @Test
  void approvalRefusalsSayWhoMay() {
    assertThat(plain.refusal(new Refusal.SelfApproval(ID, Refusal.Action.APPROVE, APPROVERS)))
        .isEqualTo(
            "you requested run "
                + ID
                + ", so you cannot approve it yourself; ask one of U_ALICE, U_BOB or a member of S_SRE");
    assertThat(
            plain.refusal(
                new Refusal.NotAnApprover(
                    "production", Refusal.Action.APPROVE, APPROVERS, false, false)))
        .isEqualTo(
            "you may not approve runs in production; one of U_ALICE, U_BOB or a member of S_SRE may");
    assertThat(
            plain.refusal(
                new Refusal.NotAnApprover(
                    "production", Refusal.Action.REJECT, APPROVERS, true, false)))
        .isEqualTo(
            "you may not reject runs in production; one of U_ALICE, U_BOB or a member of S_SRE"
                + " or the requester may");
    assertThat(plain.refusal(new Refusal.SelfApproval(ID, Refusal.Action.ACKNOWLEDGE, APPROVERS)))
        .isEqualTo(
            "you requested run "
                + ID
                + ", so you cannot acknowledge it yourself; ask one of U_ALICE, U_BOB or a member of S_SRE");
    assertThat(plain.whoMay(new Approvers(List.of(), List.of())))
        .isEqualTo("nobody (no approvers configured)");
  }

  @Test
  void slackMentionsTheApprovers() {
    assertThat(
            OutcomeText.SLACK.refusal(
                new Refusal.SelfApproval(ID, Refusal.Action.APPROVE, APPROVERS)))
        .isEqualTo(
            "you requested run "
                + ID
                + ", so you cannot approve it yourself; ask one of <@U_ALICE>, <@U_BOB> or a"
                + " member of <!subteam^S_SRE>");
    assertThat(OutcomeText.forChat(Mentions.SLACK)).isSameAs(OutcomeText.SLACK);
    assertThat(OutcomeText.forChat(Mentions.PLAIN)).isSameAs(OutcomeText.PLAIN);
  }

  @Test
  void refusalsAboutTheRunsState() {
    assertThat(plain.refusal(new Refusal.NotWaiting(ID, RunStatus.SUCCEEDED)))
        .isEqualTo("run " + ID + " is succeeded, not waiting for approval");
    assertThat(plain.refusal(new Refusal.NotWaiting(ID, RunStatus.EXPIRED)))
        .isEqualTo("run " + ID + " is expired, not waiting for approval");
    assertThat(plain.refusal(new Refusal.AlreadyFinished(ID, RunStatus.CANCELLED)))
        .isEqualTo("run " + ID + " already cancelled");
    assertThat(plain.refusal(new Refusal.PlanChanged(ID, List.of())))
        .isEqualTo(
            "the plan changed since it was shown (intent file, parameters or config); run "
                + ID
                + " will not start: request it again to see the new plan");
    assertThat(
            plain.refusal(
                new Refusal.PlanChanged(
                    ID,
                    List.of(
                        "migrations/web/V3__add.sql added", "datasource web-production changed"))))
        .isEqualTo(
            "the plan changed since it was shown (migrations/web/V3__add.sql added, datasource"
                + " web-production changed); run "
                + ID
                + " will not start: request it again to see the new plan");
    assertThat(plain.refusal(new Refusal.PlanFormatChanged(ID)))
        .isEqualTo(
            "the plan format changed with this version of intentbot, so the plan that was shown"
                + " cannot be checked; run "
                + ID
                + " will not start: submit it again");
    assertThat(
            plain.refusal(
                new Refusal.AlreadyApproved(ID, List.of("U_ALICE", "U_BOB"), RunStatus.RUNNING)))
        .isEqualTo("run " + ID + " is already approved by U_ALICE, U_BOB (running)");
    assertThat(
            OutcomeText.SLACK.refusal(
                new Refusal.AlreadyApproved(ID, List.of("U_ALICE"), RunStatus.PENDING)))
        .isEqualTo("run " + ID + " is already approved by <@U_ALICE> (pending)");
    assertThat(plain.refusal(new Refusal.SecretsUnavailable(ID, Refusal.SecretsLoss.MEMORY_ONLY)))
        .isEqualTo(
            "run " + ID + " is cancelled: secret parameters are kept in memory only; submit again");
    assertThat(plain.refusal(new Refusal.SecretsUnavailable(ID, Refusal.SecretsLoss.UNREADABLE)))
        .isEqualTo(
            "run "
                + ID
                + " is cancelled: its secret parameters cannot be decrypted here"
                + " (INTENTBOT_SECRET_KEY is not set or differs from the one they were encrypted"
                + " with); submit again");
    assertThat(plain.refusal(new Refusal.AlreadyAcknowledged(ID, "U_BOB")))
        .isEqualTo("break-glass run " + ID + " was already acknowledged by U_BOB");
    assertThat(plain.refusal(new Refusal.Expired(ID, Duration.ofMinutes(30))))
        .isEqualTo(
            "the approval request for run " + ID + " expired after 30m; request the run again");
    assertThat(plain.refusal(new Refusal.NoSuchRun(ID)))
        .isEqualTo("there is no run " + ID + "; `history` lists recent runs");
  }

  @Test
  void aHeldLockNamesItsHolder() {
    String text =
        plain.refusal(
            new Refusal.LockHeld(
                "web",
                "r-holder",
                "locked",
                "U_CAROL",
                RunStatus.RUNNING,
                Instant.EPOCH,
                null,
                null));
    assertThat(text)
        .startsWith("another run holds the lock web: r-holder (locked by U_CAROL")
        .endsWith("or cancel it with `cancel r-holder`");
  }

  @Test
  void aHeldLockSaysSinceWhenAndWhetherTheHoldersProcessIsAlive() {
    Refusal.LockHeld held =
        new Refusal.LockHeld(
            "web",
            "r-holder",
            "locked",
            "U_CAROL",
            RunStatus.RUNNING,
            Instant.parse("2026-12-02T01:02:03Z"),
            "4242@ci-host-0a1b2c3d",
            true);
    assertThat(plain.refusal(held))
        .isEqualTo(
            "another run holds the lock web: r-holder (locked by U_CAROL, running since"
                + " 2026-12-02 01:02:03 UTC), in intentbot process 4242@ci-host-0a1b2c3d (alive);"
                + " try again when it finishes, or cancel it with `cancel r-holder`");
    Refusal.LockHeld stopped =
        new Refusal.LockHeld(
            "web",
            "r-holder",
            "locked",
            "U_CAROL",
            RunStatus.RUNNING,
            Instant.parse("2026-12-02T01:02:03Z"),
            "4242@ci-host-0a1b2c3d",
            false);
    assertThat(plain.refusal(stopped))
        .contains("in intentbot process 4242@ci-host-0a1b2c3d, which has stopped")
        .endsWith(
            "`cancel r-holder` releases the lock now (else the next intentbot process to look does)");
  }

  @Test
  void acceptedDecisions() {
    assertThat(
            plain.decision(
                new Decision.Accepted(
                    Decision.Kind.APPROVED_STARTING,
                    run(RunStatus.PENDING),
                    "U_ALICE",
                    1,
                    1,
                    null)))
        .isEqualTo("approved by U_ALICE; run " + ID + " is starting");
    assertThat(
            plain.decision(
                new Decision.Accepted(
                    Decision.Kind.APPROVAL_RECORDED,
                    run(RunStatus.WAITING_APPROVAL),
                    "U_ALICE",
                    1,
                    2,
                    null)))
        .isEqualTo("approved (1 of 2); run " + ID + " waits for 1 more");
    assertThat(
            plain.decision(
                Decision.Accepted.of(
                    Decision.Kind.ACKNOWLEDGED, run(RunStatus.SUCCEEDED), "U_BOB")))
        .isEqualTo("acknowledged break-glass run " + ID + "; it no longer needs review");
    assertThat(
            plain.decision(
                new Decision.Accepted(
                    Decision.Kind.REJECTED, run(RunStatus.REJECTED), "U_BOB", 0, 0, "not now")))
        .isEqualTo("rejected by U_BOB: not now");
  }

  @Test
  void accessRefusalsNameTheRuleWhoItCoversAndWhere() {
    Refusal deployers =
        new Refusal.RefusedByPolicy(
            "access[3]",
            new Approvers(List.of(), List.of("S01DEPLOYERS")),
            "deploy-app",
            List.of("production"),
            List.of("C01OPS"));
    assertThat(OutcomeText.SLACK.refusal(deployers))
        .isEqualTo(
            "deploy-app in production: only members of <!subteam^S01DEPLOYERS>, from <#C01OPS>"
                + " (access[3])");
    assertThat(OutcomeText.PLAIN.refusal(deployers))
        .isEqualTo(
            "deploy-app in production: only members of S01DEPLOYERS, from #C01OPS (access[3])");
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.RefusedByPolicy(
                    "access[1]",
                    new Approvers(List.of("*"), List.of()),
                    "hello",
                    List.of(),
                    List.of("C01OPS"))))
        .isEqualTo("hello: only from #C01OPS (access[1])");
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.RefusedByPolicy(
                    null,
                    new Approvers(List.of(), List.of()),
                    "seed",
                    List.of("sandbox", "production"),
                    List.of())))
        .startsWith(
            "seed in sandbox and production: no one access rule covers all of these environments");
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.RefusedByPolicy(
                    "access[2]",
                    new Approvers(List.of(), List.of("S01DEPLOYERS")),
                    "deploy-app",
                    List.of("production"),
                    List.of(),
                    new Approvers(List.of(), List.of("S01DEPLOYERS")))))
        .as("from a terminal that cannot resolve groups")
        .isEqualTo(
            "deploy-app in production: only members of S01DEPLOYERS (access[2]); membership of"
                + " S01DEPLOYERS cannot be checked here (no Slack bot token: set SLACK_BOT_TOKEN,"
                + " or use Slack), so nobody may run it here");
  }

  @Test
  void breakGlassFreezeAndIdentityRefusalsSayWhoMayAndWhy() {
    assertThat(OutcomeText.PLAIN.refusal(new Refusal.NothingToBypass("hello", null)))
        .isEqualTo("nothing to bypass: hello needs no approval; run it without --break-glass");
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.Frozen(
                    "production", "weekend", Instant.parse("2026-12-07T08:00:00Z"), true)))
        .isEqualTo(
            "production is frozen (weekend) until Mon 2026-12-07 08:00Z: runs that change something"
                + " are refused (environments.production.freeze); in an emergency, those allowed may"
                + " use --break-glass \"reason\"");
    assertThat(
            OutcomeText.PLAIN.refusal(
                new Refusal.ApprovalSourceNotAllowed("production", "cli", List.of("slack"))))
        .isEqualTo(
            "approvals of runs in production come from slack only, not from the command line"
                + " (environments.production.approval.from)");
  }

  @Test
  void anIncompletePlanSaysWhatCouldNotBeReadAndWhy() {
    List<FailedRead> reads =
        List.of(
            new FailedRead(
                "history",
                "kubernetes.rollout-history",
                "no Kubernetes cluster configured for production: set KUBECONFIG, or kube_context"
                    + " in config, or run inside a pod"));

    assertThat(plain.refusal(new Refusal.IncompletePlan("deploy-app", "production", reads)))
        .isEqualTo(
            "deploy-app in production needs approval, but its plan is incomplete, so nobody was"
                + " asked to approve it: could not read step history (kubernetes.rollout-history):"
                + " no Kubernetes cluster configured for production: set KUBECONFIG, or kube_context"
                + " in config, or run inside a pod; request it again once that can be read (a"
                + " --dry-run shows the plan)");
    Plan incomplete =
        new Plan("deploy-app", Map.of(), "production", List.of(), "hash", List.of(), reads);
    assertThat(plain.incomplete(incomplete))
        .startsWith(
            "the plan is incomplete: could not read step history (kubernetes.rollout-history): no Kubernetes cluster");
    assertThat(plain.incomplete(new Plan("deploy-app", Map.of(), null, List.of(), "hash")))
        .isNull();
    List<FailedRead> same =
        List.of(
            new FailedRead("history", "kubernetes.rollout-history", "no cluster"),
            new FailedRead("health.rollout", "kubernetes.rollout-status", "no cluster"),
            new FailedRead("backups", "velero.backups", "HTTP 403"));
    assertThat(plain.incomplete(new Plan("x", Map.of(), null, List.of(), "h", List.of(), same)))
        .isEqualTo(
            "the plan is incomplete: could not read step history (kubernetes.rollout-history),"
                + " step health.rollout (kubernetes.rollout-status): no cluster; step backups"
                + " (velero.backups): HTTP 403");
  }
}
