package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approval gating, plan binding, dry runs and expiry, on a real H2 audit file. */
class EngineApprovalTest {

  private static final String DEPLOY =
      """
      name: deploy-app
      parameters:
        app: { type: app, required: true }
        env: { type: environment, required: true }
      steps:
        - id: version
          type: set
          with: { version: "1.2.3" }
        - id: rollout
          type: shell
          with: { command: [echo, "deploying ${{ params.app }}:${{ steps.version.outputs.version }} to ${{ env.namespace }}"] }
      """;

  @TempDir Path dir;
  private EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture =
        new EngineFixture(dir)
            .intent("deploy-app", DEPLOY)
            .intent(
                "inspect",
                """
                name: inspect
                risk: read-only
                parameters:
                  env: { type: environment, required: true }
                steps:
                  - id: look
                    type: set
                    with: { ok: "yes" }
                """);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private Submission.AwaitingApproval requestProduction(Engine engine) {
    Submission submission =
        engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    return (Submission.AwaitingApproval) submission;
  }

  @Test
  void protectedEnvironmentWaitsAndTheRequesterCannotApprove() throws Exception {
    Engine engine = fixture.start();
    Submission.AwaitingApproval waiting = requestProduction(engine);
    String id = waiting.run().id();
    assertThat(waiting.run().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(waiting.plan().describe())
        .contains("1. version: ")
        .contains("2. rollout: ")
        .contains("deploying web:1.2.3 to web");
    assertThat(fixture.events(RunEvent.ApprovalRequested.class, id)).hasSize(1);

    Decision self = engine.approve(id, "U_CAROL");
    assertThat(self.accepted()).isFalse();
    Approvers approvers = new Approvers(List.of("U_ALICE", "U_BOB"), List.of("S_SRE"));
    assertThat(((Decision.Refused) self).reason())
        .isEqualTo(new Refusal.SelfApproval(id, Refusal.Action.APPROVE, approvers));
    Decision stranger = engine.approve(id, "U_MALLORY");
    assertThat(((Decision.Refused) stranger).reason())
        .isEqualTo(
            new Refusal.NotAnApprover(
                "production", Refusal.Action.APPROVE, approvers, false, true));

    Decision ok = engine.approve(id, "U_ALICE");
    assertThat(ok.accepted()).isTrue();
    assertThat(ok)
        .isInstanceOfSatisfying(
            Decision.Accepted.class,
            a -> {
              assertThat(a.kind()).isEqualTo(Decision.Kind.APPROVED_STARTING);
              assertThat(a.user()).isEqualTo("U_ALICE");
              assertThat(a.run().id()).isEqualTo(id);
              assertThat(a.approvals()).isEqualTo(1);
              assertThat(a.required()).isEqualTo(1);
            });
    RunRecord run = engine.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.audit().approvals(id))
        .extracting(ApprovalRecord::user)
        .containsExactly("U_ALICE");
    assertThat(((Decision.Refused) engine.approve(id, "U_BOB")).reason())
        .isEqualTo(new Refusal.AlreadyApproved(id, List.of("U_ALICE"), RunStatus.SUCCEEDED));
  }

  @Test
  void groupMembersMayApproveThroughTheDirectory() throws Exception {
    fixture.groups(group -> group.equals("S_SRE") ? Set.of("U_SRE1") : Set.of());
    Engine engine = fixture.start();
    String id = requestProduction(engine).run().id();
    assertThat(engine.approve(id, "U_SRE1").accepted()).isTrue();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void manyConcurrentApprovalsStartTheRunExactlyOnce() throws Exception {
    Engine engine = fixture.start();
    String id = requestProduction(engine).run().id();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Decision>> clicks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String user = i % 2 == 0 ? "U_ALICE" : "U_BOB";
      clicks.add(
          pool.submit(
              () -> {
                go.await();
                return engine.approve(id, user);
              }));
    }
    go.countDown();
    for (Future<Decision> click : clicks) {
      click.get();
    }
    pool.shutdown();
    engine.awaitFinished(id, Duration.ofSeconds(10));
    assertThat(fixture.events(RunEvent.RunStarted.class, id)).hasSize(1);
    assertThat(engine.steps(id)).hasSize(2);
    assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void readOnlyIntentsAndUnprotectedEnvironmentsDoNotWait() {
    Engine engine = fixture.start();
    assertThat(engine.submit(RunRequest.of("inspect", List.of("env=production"), "U_CAROL")))
        .isInstanceOf(Submission.Started.class);
    assertThat(
            engine.submit(
                RunRequest.of("deploy-app", List.of("app=web", "env=sandbox"), "U_CAROL")))
        .isInstanceOf(Submission.Started.class);
  }

  @Test
  void rejectionEndsTheRunAndRecordsWhoAndWhy() {
    Engine engine = fixture.start();
    String id = requestProduction(engine).run().id();
    assertThat(engine.reject(id, "U_MALLORY", "no").accepted()).isFalse();
    Decision rejected = engine.reject(id, "U_BOB", "not during the freeze");
    assertThat(rejected.accepted()).isTrue();
    RunRecord run = engine.run(id).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.REJECTED);
    assertThat(run.reason()).isEqualTo("rejected by U_BOB: not during the freeze");
    assertThat(engine.approve(id, "U_ALICE").accepted()).isFalse();
  }

  @Test
  void pendingApprovalsSurviveARestart() throws Exception {
    Engine first = fixture.start();
    String id = requestProduction(first).run().id();
    first.close();
    Engine second = fixture.start();
    second.recoverInterrupted();
    assertThat(second.run(id).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(second.approve(id, "U_ALICE").accepted()).isTrue();
    assertThat(second.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void anApprovalBindsToThePlanHash() {
    Engine first = fixture.start();
    String id = requestProduction(first).run().id();
    first.close();
    fixture.intent("deploy-app", DEPLOY.replace("1.2.3", "6.6.6"));
    Engine second = fixture.start();
    Decision decision = second.approve(id, "U_ALICE");
    assertThat(decision.accepted()).isFalse();
    assertThat(((Decision.Refused) decision).reason())
        .isEqualTo(new Refusal.PlanChanged(id, List.of("intent deploy-app.yaml changed")));
    assertThat(second.run(id).orElseThrow().reason())
        .isEqualTo(
            "the plan changed since it was shown (intent deploy-app.yaml changed); run "
                + id
                + " will not start: request it again to see the new plan");
    assertThat(second.run(id).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(second.steps(id)).isEmpty();
  }

  @Test
  void approvalRequestsExpire() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    fixture.clock(clock);
    Engine engine = fixture.start();
    String id = requestProduction(engine).run().id();
    clock.advance(Duration.ofMinutes(29));
    assertThat(engine.expireApprovals()).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    List<RunRecord> expired = engine.expireApprovals();
    assertThat(expired).extracting(RunRecord::id).containsExactly(id);
    assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.EXPIRED);
    assertThat(((Decision.Refused) engine.approve(id, "U_ALICE")).reason())
        .isEqualTo(new Refusal.NotWaiting(id, RunStatus.EXPIRED));
  }

  @Test
  void dryRunPlansWithAStableHashAndChangesNothing() {
    Engine engine = fixture.start();
    RunRequest request =
        RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL").asDryRun();
    Submission.Planned a = (Submission.Planned) engine.submit(request);
    Submission.Planned b = (Submission.Planned) engine.submit(request);
    assertThat(a.plan().hash()).isEqualTo(b.plan().hash()).hasSize(64);
    Submission.Planned other =
        (Submission.Planned)
            engine.submit(
                RunRequest.of("deploy-app", List.of("app=api", "env=production"), "U_CAROL")
                    .asDryRun());
    assertThat(other.plan().hash()).isNotEqualTo(a.plan().hash());
    assertThat(a.plan().steps())
        .extracting(Plan.PlannedStep::summary)
        .anyMatch(s -> s.contains("echo") && s.contains("deploying web:1.2.3 to web"));
    String described = a.plan().describe();
    assertThat(described.split("version = 1.2.3", -1))
        .as("a value shown once, whether the step's description or the planner says it")
        .hasSize(2);
    assertThat(a.run().dryRun()).isTrue();
    assertThat(a.run().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.steps(a.run().id())).allMatch(s -> s.status() == StepStatus.PLANNED);
    assertThat(fixture.events(RunEvent.RunStarted.class, a.run().id())).isEmpty();
  }

  @Test
  void breakGlassRunsAtOnceWithAReasonOnRecord() throws Exception {
    Engine engine = fixture.start();
    Submission noReason =
        engine.submit(
            RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL")
                .withBreakGlass(" "));
    assertThat(noReason).isInstanceOf(Submission.Invalid.class);
    Submission started =
        engine.submit(
            RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_ALICE")
                .withBreakGlass("site down INC-42"));
    String id = ((Submission.Started) started).run().id();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.audit().approvals(id))
        .singleElement()
        .satisfies(a -> assertThat(a.comment()).isEqualTo("break glass: site down INC-42"));
    assertThat(engine.awaitingReview()).extracting(RunRecord::id).containsExactly(id);
    assertThat(((Decision.Refused) engine.acknowledge(id, "U_ALICE", null)).reason())
        .isEqualTo(
            new Refusal.SelfApproval(
                id,
                Refusal.Action.ACKNOWLEDGE,
                new Approvers(List.of("U_ALICE", "U_BOB"), List.of("S_SRE"))));
    assertThat(engine.acknowledge(id, "U_MALLORY", null).accepted()).isFalse();
    Decision ack = engine.acknowledge(id, "U_BOB", "warranted");
    assertThat(ack.accepted()).isTrue();
    assertThat(((Decision.Accepted) ack).kind()).isEqualTo(Decision.Kind.ACKNOWLEDGED);
    assertThat(engine.awaitingReview()).isEmpty();
    assertThat(((Decision.Refused) engine.acknowledge(id, "U_BOB", null)).reason())
        .isEqualTo(new Refusal.AlreadyAcknowledged(id, "U_BOB"));
  }

  @Test
  void readOnlyIfSkipsApprovalAndAnyChangingStepFailsTheRun() throws Exception {
    fixture.intent(
        "rollback",
        """
        name: rollback
        risk: mutating
        read_only_if: "${{ params.mode == 'list' }}"
        parameters:
          app: { type: app, required: true }
          env: { type: environment, required: true }
          mode: { type: enum, values: [previous, list], default: previous }
        steps:
          - id: revisions
            type: set
            with: { known: "1,2,3" }
          - id: undo
            if: "${{ params.mode != 'list' }}"
            type: shell
            with: { command: [echo, undo] }
        """);
    fixture.intent(
        "careless",
        """
        name: careless
        read_only_if: "${{ params.mode == 'list' }}"
        parameters:
          env: { type: environment, required: true }
          mode: { type: enum, values: [change, list], default: list }
        steps:
          - id: oops
            type: shell
            with: { command: [echo, "changing anyway"] }
        """);
    Engine engine = fixture.start();
    Submission list =
        engine.submit(
            RunRequest.of(
                "rollback", List.of("app=web", "env=production", "mode=list"), "U_CAROL"));
    assertThat(list).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) list).run().id();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(
            engine.submit(
                RunRequest.of("rollback", List.of("app=web", "env=production"), "U_CAROL")))
        .isInstanceOf(Submission.AwaitingApproval.class);

    Submission careless =
        engine.submit(RunRequest.of("careless", List.of("env=production"), "U_CAROL"));
    String carelessId = ((Submission.Started) careless).run().id();
    RunRecord run = engine.awaitFinished(carelessId, Duration.ofSeconds(10)).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason())
        .contains(
            "the run is read-only (read_only_if: ${{ params.mode == 'list' }}) but shell can change things");
    assertThat(engine.steps(carelessId).get(0).outputText()).doesNotContain("changing anyway");
  }
}
