package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals stop at the required count, however many clicks arrive at once and on however many
 * replicas: 20 threads released together by a latch, two approvers, real databases. Each backend's
 * test gives a fresh database.
 */
abstract class ApprovalCountContract {

  private static final int CLICKS = 20;

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

  @TempDir Path dir;
  protected EngineFixture fixture;

  /** Points the fixture at a fresh, empty database of the backend under test. */
  protected abstract void useDatabase(EngineFixture fixture) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new EngineFixture(dir).intent("deploy-app", INTENT);
    useDatabase(fixture);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private static String request(Engine engine) {
    Submission submission =
        engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    return ((Submission.AwaitingApproval) submission).run().id();
  }

  /** {@value #CLICKS} approvals at once, alternating between the approvers and the engines. */
  private static List<Decision> clickTogether(String id, List<Engine> engines) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLICKS);
    try {
      CountDownLatch ready = new CountDownLatch(CLICKS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Decision>> clicks = new ArrayList<>();
      for (int i = 0; i < CLICKS; i++) {
        String user = i % 2 == 0 ? "U_ALICE" : "U_BOB";
        Engine engine = engines.get((i / 2) % engines.size());
        clicks.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return engine.approve(id, user);
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<Decision> decisions = new ArrayList<>();
      for (Future<Decision> click : clicks) {
        decisions.add(click.get(60, TimeUnit.SECONDS));
      }
      return decisions;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twentyClicksOnTwoReplicasRecordExactlyTheOneApprovalNeeded() throws Exception {
    Engine first = fixture.start();
    Engine second = fixture.start();
    String id = request(first);

    List<Decision> decisions = clickTogether(id, List.of(first, second));

    List<ApprovalRecord> recorded = first.audit().approvals(id);
    assertThat(recorded).hasSize(1);
    String winner = recorded.get(0).user();
    assertThat(decisions.stream().filter(Decision::accepted))
        .singleElement()
        .satisfies(
            d -> {
              Decision.Accepted accepted = (Decision.Accepted) d;
              assertThat(accepted.kind()).isEqualTo(Decision.Kind.APPROVED_STARTING);
              assertThat(accepted.user()).isEqualTo(winner);
              assertThat(accepted.approvals()).isEqualTo(1);
            });
    assertThat(decisions.stream().filter(d -> !d.accepted()))
        .hasSize(CLICKS - 1)
        .allSatisfy(
            d ->
                assertThat(((Decision.Refused) d).reason())
                    .isInstanceOfSatisfying(
                        Refusal.AlreadyApproved.class,
                        a -> assertThat(a.by()).containsExactly(winner)));
    assertThat(first.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(fixture.events(RunEvent.ApprovalRecorded.class, id))
        .singleElement()
        .satisfies(e -> assertThat(e.approvals()).isEqualTo(1));
    assertThat(fixture.events(RunEvent.RunStarted.class, id)).hasSize(1);
  }

  @Test
  void whenTwoAreNeededBothAreRecordedInOrderAndNoMore() throws Exception {
    fixture.config(EngineFixture.DEFAULT_CONFIG.replace("required: 1", "required: 2"));
    Engine engine = fixture.start();
    String id = request(engine);

    List<Decision> decisions = clickTogether(id, List.of(engine));

    assertThat(engine.audit().approvals(id))
        .extracting(ApprovalRecord::user)
        .containsExactlyInAnyOrder("U_ALICE", "U_BOB");
    List<RunEvent.ApprovalRecorded> events = fixture.events(RunEvent.ApprovalRecorded.class, id);
    assertThat(events).extracting(RunEvent.ApprovalRecorded::approvals).containsExactly(1, 2);
    assertThat(events).extracting(RunEvent.ApprovalRecorded::required).containsExactly(2, 2);
    List<String> order = events.stream().map(e -> e.approval().user()).toList();
    assertThat(decisions.stream().filter(Decision::accepted).map(d -> (Decision.Accepted) d))
        .extracting(Decision.Accepted::kind, Decision.Accepted::user)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Decision.Kind.APPROVAL_RECORDED, order.get(0)),
            org.assertj.core.groups.Tuple.tuple(Decision.Kind.APPROVED_STARTING, order.get(1)));
    assertThat(decisions.stream().filter(d -> !d.accepted()))
        .hasSize(CLICKS - 2)
        .allSatisfy(
            d ->
                assertThat(((Decision.Refused) d).reason())
                    .satisfiesAnyOf(
                        r -> assertThat(r).isEqualTo(new Refusal.AlreadyDecided(id, "U_ALICE")),
                        r -> assertThat(r).isEqualTo(new Refusal.AlreadyDecided(id, "U_BOB")),
                        r ->
                            assertThat(r)
                                .isInstanceOfSatisfying(
                                    Refusal.AlreadyApproved.class,
                                    a -> assertThat(a.by()).isEqualTo(order))));
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(((Decision.Refused) engine.approve(id, "U_ALICE")).reason())
        .isEqualTo(new Refusal.AlreadyApproved(id, order, RunStatus.SUCCEEDED));
  }

  @Test
  void twoReplicasThreadTheirApprovalsInTheOrderTheyWereRecorded() throws Exception {
    fixture.config(EngineFixture.DEFAULT_CONFIG.replace("required: 1", "required: 2"));
    List<String> thread = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch firstTelling = new CountDownLatch(1);
    CountDownLatch secondRecorded = new CountDownLatch(1);
    Engine first = fixture.build();
    first.addListener(
        event -> {
          if (event instanceof RunEvent.ApprovalRecorded e) {
            firstTelling.countDown();
            try {
              // A slow replica: it tells its thread late, after the other one recorded the next
              // approval if it could (at most a few seconds: it cannot while this one holds it).
              secondRecorded.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt();
            }
            thread.add(e.approvals() + " " + e.approval().user());
          }
        });
    first.start();
    Engine second = fixture.build();
    second.addListener(
        event -> {
          if (event instanceof RunEvent.ApprovalRecorded e) {
            secondRecorded.countDown();
            thread.add(e.approvals() + " " + e.approval().user());
          }
        });
    second.start();
    String id = request(first);
    ExecutorService clicks = Executors.newFixedThreadPool(2);
    try {
      Future<Decision> alice = clicks.submit(() -> first.approve(id, "U_ALICE"));
      assertThat(firstTelling.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Decision> bob = clicks.submit(() -> second.approve(id, "U_BOB"));
      assertThat(alice.get(30, TimeUnit.SECONDS).accepted()).isTrue();
      assertThat(bob.get(30, TimeUnit.SECONDS).accepted()).isTrue();
    } finally {
      clicks.shutdownNow();
    }
    assertThat(thread).containsExactly("1 U_ALICE", "2 U_BOB");
    assertThat(first.audit().approvals(id))
        .extracting(ApprovalRecord::user)
        .containsExactly("U_ALICE", "U_BOB");
  }
}
