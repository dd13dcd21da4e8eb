package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval desk's rules on an in-memory audit database and a clock the test moves: who may
 * approve, reject and cancel, how many approvals start a run, when a request expires. Nothing here
 * waits for real time.
 */
class ApprovalRulesTest {

  static final String CONFIG =
      """
      apps: [web]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          approval: { approvers: [U_ALICE, U_BOB], groups: [S_SRE], required: 2, self_approval: false, expires_after: 30m }
        staging:
          namespace: "{app}-staging"
          protected: true
          approval: { approvers: [U_CAROL], required: 1, self_approval: true, expires_after: 1h }
        locked:
          namespace: "{app}-locked"
          protected: true
          approval: { required: 1, expires_after: 1h }
      """;

  static final String INTENT =
      """
      name: deploy-app
      parameters:
        app: { type: app, required: true }
        env: { type: environment, required: true }
      steps:
        - id: mark
          type: set
          with: { done: "yes" }
      """;

  static final Approvers PRODUCTION = new Approvers(List.of("U_ALICE", "U_BOB"), List.of("S_SRE"));

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  EngineFixture fixture;
  Engine engine;

  Engine engine() {
    fixture =
        new EngineFixture(dir)
            .inMemory()
            .config(CONFIG)
            .intent("deploy-app", INTENT)
            .clock(clock)
            .groups(
                group -> group.equals("S_SRE") ? java.util.Set.of("U_SRE") : java.util.Set.of());
    engine = fixture.start();
    return engine;
  }

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  String request(String env) {
    Submission s =
        engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=" + env), "U_CAROL"));
    assertThat(s).isInstanceOf(Submission.AwaitingApproval.class);
    return ((Submission.AwaitingApproval) s).run().id();
  }

  static Refusal refusal(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    return ((Decision.Refused) decision).reason();
  }

  static Decision.Accepted accepted(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Accepted.class);
    return (Decision.Accepted) decision;
  }

  @Test
  void enoughApprovalsFromDifferentApproversStartTheRun() {
    engine();
    String id = request("production");

    Decision.Accepted first = accepted(engine.approve(id, "U_ALICE"));
    assertThat(first.kind()).isEqualTo(Decision.Kind.APPROVAL_RECORDED);
    assertThat(first.approvals()).isEqualTo(1);
    assertThat(first.required()).isEqualTo(2);
    assertThat(refusal(engine.approve(id, "U_ALICE")))
        .isEqualTo(new Refusal.AlreadyDecided(id, "U_ALICE"));

    Decision.Accepted second = accepted(engine.approve(id, "U_SRE"));
    assertThat(second.kind()).isEqualTo(Decision.Kind.APPROVED_STARTING);
    assertThat(second.approvals()).isEqualTo(2);
    assertThat(refusal(engine.approve(id, "U_BOB")))
        .isInstanceOfSatisfying(
            Refusal.AlreadyApproved.class,
            a -> assertThat(a.by()).containsExactly("U_ALICE", "U_SRE"));
  }

  @Test
  void theRequesterMayNotApproveUnlessTheEnvironmentAllowsIt() {
    engine();
    String production = request("production");
    assertThat(refusal(engine.approve(production, "U_CAROL")))
        .isEqualTo(new Refusal.SelfApproval(production, Refusal.Action.APPROVE, PRODUCTION));

    String staging = request("staging");
    assertThat(accepted(engine.approve(staging, "U_CAROL")).kind())
        .isEqualTo(Decision.Kind.APPROVED_STARTING);
  }

  @Test
  void strangersAndEnvironmentsWithoutApproversAreRefused() {
    engine();
    String id = request("production");
    assertThat(refusal(engine.approve(id, "U_MALLORY")))
        .isEqualTo(
            new Refusal.NotAnApprover(
                "production", Refusal.Action.APPROVE, PRODUCTION, false, false));
    assertThat(refusal(engine.approve(request("locked"), "U_ALICE")))
        .isEqualTo(new Refusal.NoApprovers("locked"));
  }

  @Test
  void anApproverOrTheRequesterMayReject() {
    engine();
    String id = request("production");
    assertThat(refusal(engine.reject(id, "U_MALLORY", null)))
        .isEqualTo(
            new Refusal.NotAnApprover(
                "production", Refusal.Action.REJECT, PRODUCTION, true, false));
    Decision.Accepted rejected = accepted(engine.reject(id, "U_CAROL", "changed my mind"));
    assertThat(rejected.kind()).isEqualTo(Decision.Kind.REJECTED);
    assertThat(rejected.comment()).isEqualTo("changed my mind");
    assertThat(rejected.run().status()).isEqualTo(RunStatus.REJECTED);
    assertThat(refusal(engine.reject(id, "U_ALICE", null)))
        .isEqualTo(new Refusal.NotWaiting(id, RunStatus.REJECTED));
  }

  @Test
  void onlyTheRequesterOrAnApproverCancelsAWaitingProtectedRun() {
    engine();
    String id = request("production");
    assertThat(refusal(engine.cancel(id, "U_MALLORY")))
        .isEqualTo(new Refusal.MayNotCancel(id, "U_CAROL", PRODUCTION));
    Decision.Accepted cancelled = accepted(engine.cancel(id, "U_BOB"));
    assertThat(cancelled.kind()).isEqualTo(Decision.Kind.CANCELLED);
    assertThat(engine.run(id).orElseThrow().reason()).isEqualTo("cancelled by U_BOB");
    assertThat(refusal(engine.cancel(id, "U_BOB")))
        .isEqualTo(new Refusal.AlreadyFinished(id, RunStatus.CANCELLED));
    assertThat(refusal(engine.cancel("r-nothing1", "U_BOB")))
        .isEqualTo(new Refusal.NoSuchRun("r-nothing1"));
  }

  @Test
  void aRequestExpiresOnlyAfterItsWholeExpiry() {
    engine();
    String id = request("production");
    clock.advance(Duration.ofMinutes(30));
    assertThat(engine.expireApprovals()).as("at exactly 30m it still stands").isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(engine.expireApprovals()).extracting(r -> r.id()).containsExactly(id);
    assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.EXPIRED);
    assertThat(engine.run(id).orElseThrow().reason())
        .isEqualTo("approval request expired after 30m");
    assertThat(engine.expireApprovals()).as("each request expires once").isEmpty();
  }

  @Test
  void anApprovalPastTheExpiryIsRefusedAndExpiresTheRequest() {
    engine();
    String id = request("production");
    clock.advance(Duration.ofMinutes(31));
    assertThat(refusal(engine.approve(id, "U_ALICE")))
        .isEqualTo(new Refusal.Expired(id, Duration.ofMinutes(30)));
    assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.EXPIRED);
    assertThat(engine.audit().approvals(id)).isEmpty();
  }
}
