package io.intentbot.engine.audit;

import static io.intentbot.engine.audit.Runs.T0;
import static io.intentbot.engine.audit.Runs.approval;
import static io.intentbot.engine.audit.Runs.finished;
import static io.intentbot.engine.audit.Runs.run;
import static io.intentbot.engine.audit.Runs.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.ReviewRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AuditStore} promises. Each backend's test extends this and gives it a fresh,
 * empty database per test.
 */
abstract class AuditStoreContractTest {

  private static final int THREADS = 12;

  protected AuditStore store;
  private String url;

  /** A JDBC URL of a new, empty database. */
  protected abstract String newDatabaseUrl() throws Exception;

  protected String user() {
    return null;
  }

  protected String password() {
    return null;
  }

  @BeforeEach
  void openStore() throws Exception {
    url = newDatabaseUrl();
    store = AuditStores.open(url, user(), password());
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** The JDBC URL of this test's database. */
  protected String url() {
    return url;
  }

  /** Runs SQL behind the store's back, as someone tampering with the database would. */
  protected int tamper(String sql, Object... params) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user(), password());
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      return statement.executeUpdate();
    }
  }

  // --- runs

  @Test
  void aCreatedRunReadsBackWithEveryField() {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("zeta", "last key first");
    outputs.put("count", 7);
    outputs.put("ratio", 0.25);
    outputs.put("ok", true);
    outputs.put("nothing", null);
    outputs.put("list", List.of(1, "two", Map.of("three", 3)));
    outputs.put("nested", Map.of("k", "v"));
    RunRecord run =
        run("r-full01", RunStatus.RUNNING)
            .started(T0.plusMillis(1))
            .finished(RunStatus.FAILED, T0.plusMillis(999), outputs, "step rollout failed: boom");
    store.createRun(run);

    RunRecord read = store.findRun("r-full01").orElseThrow();

    assertThat(read).isEqualTo(run);
    assertThat(read.outputs().keySet()).containsExactly(outputs.keySet().toArray(String[]::new));
    assertThat(read.parameters().keySet()).containsExactly("app", "env", "version");
  }

  @Test
  void nullableFieldsStayNull() {
    RunRecord bare =
        new RunRecord(
            "r-bare01",
            "list-apps",
            Map.of(),
            "U1",
            null,
            null,
            RunStatus.PENDING,
            true,
            null,
            null,
            T0,
            null,
            null,
            Map.of(),
            null,
            Map.of());
    store.createRun(bare);

    assertThat(store.findRun("r-bare01")).contains(bare);
  }

  @Test
  void timestampsKeepMillisecondsAndDropFinerParts() {
    Instant precise = Instant.parse("2026-11-25T01:02:03.456789123Z");
    store.createRun(run("r-time01", "deploy-app", RunStatus.PENDING, precise));

    assertThat(store.findRun("r-time01").orElseThrow().createdAt())
        .isEqualTo(Instant.parse("2026-11-25T01:02:03.456Z"));
  }

  @Test
  void anUnknownRunIsEmpty() {
    assertThat(store.findRun("r-nope00")).isEmpty();
  }

  @Test
  void creatingARunTwiceFails() {
    store.createRun(run("r-dup001", RunStatus.PENDING));

    assertThatThrownBy(() -> store.createRun(run("r-dup001", RunStatus.PENDING)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("run r-dup001 exists already");
  }

  @Test
  void updateRunReplacesTheStoredRun() {
    RunRecord run = run("r-upd001", RunStatus.PENDING);
    store.createRun(run);
    RunRecord done = finished("r-upd001", T0);

    store.updateRun(done);

    assertThat(store.findRun("r-upd001")).contains(done);
  }

  @Test
  void updatingAnUnknownRunFails() {
    assertThatThrownBy(() -> store.updateRun(run("r-ghost1", RunStatus.RUNNING)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("no run r-ghost1");
  }

  @Test
  void recentRunsAreNewestFirstAndFilterByIntent() {
    store.createRun(run("r-a", "deploy-app", RunStatus.SUCCEEDED, T0));
    store.createRun(run("r-b", "rollback", RunStatus.SUCCEEDED, T0.plusSeconds(1)));
    store.createRun(run("r-c", "deploy-app", RunStatus.FAILED, T0.plusSeconds(2)));
    store.createRun(run("r-d", "deploy-app", RunStatus.RUNNING, T0.plusSeconds(3)));

    assertThat(store.recentRuns(null, 10))
        .extracting(RunRecord::id)
        .containsExactly("r-d", "r-c", "r-b", "r-a");
    assertThat(store.recentRuns(null, 2)).extracting(RunRecord::id).containsExactly("r-d", "r-c");
    assertThat(store.recentRuns("deploy-app", 10))
        .extracting(RunRecord::id)
        .containsExactly("r-d", "r-c", "r-a");
    assertThat(store.recentRuns("rollback", 10)).extracting(RunRecord::id).containsExactly("r-b");
    assertThat(store.recentRuns("unknown", 10)).isEmpty();
  }

  @Test
  void runsInStatusAreOldestFirst() {
    store.createRun(run("r-w2", "deploy-app", RunStatus.WAITING_APPROVAL, T0.plusSeconds(2)));
    store.createRun(run("r-w1", "deploy-app", RunStatus.WAITING_APPROVAL, T0.plusSeconds(1)));
    store.createRun(run("r-p1", "deploy-app", RunStatus.PENDING, T0.plusSeconds(3)));
    store.createRun(run("r-s1", "deploy-app", RunStatus.SUCCEEDED, T0));

    assertThat(store.runsInStatus(List.of(RunStatus.WAITING_APPROVAL)))
        .extracting(RunRecord::id)
        .containsExactly("r-w1", "r-w2");
    assertThat(store.runsInStatus(List.of(RunStatus.PENDING, RunStatus.WAITING_APPROVAL)))
        .extracting(RunRecord::id)
        .containsExactly("r-w1", "r-w2", "r-p1");
    assertThat(store.runsInStatus(List.of())).isEmpty();
  }

  // --- steps

  @Test
  void stepsAreUpsertedByIndexAndListedInOrder() {
    store.createRun(run("r-st001", RunStatus.RUNNING));
    store.saveStep(step("r-st001", 1, StepStatus.RUNNING, T0.plusSeconds(2)));
    store.saveStep(step("r-st001", 0, StepStatus.SUCCEEDED, T0.plusSeconds(1)));
    StepRecord finished = step("r-st001", 1, StepStatus.SUCCEEDED, T0.plusSeconds(2));

    store.saveStep(finished);

    List<StepRecord> steps = store.steps("r-st001");
    assertThat(steps).extracting(StepRecord::index).containsExactly(0, 1);
    assertThat(steps.get(1)).isEqualTo(finished);
    assertThat(steps.get(1).durationMillis()).isEqualTo(1500);
    assertThat(steps.get(1).outputs()).containsEntry("lines", List.of("a", "b"));
    assertThat(store.steps("r-other")).isEmpty();
  }

  // --- approvals

  @Test
  void oneDecisionPerUserAndRun() {
    store.createRun(run("r-ap001", RunStatus.WAITING_APPROVAL));

    assertThat(store.recordApproval(approval("r-ap001", "U02", T0.plusSeconds(2)))).isTrue();
    assertThat(store.recordApproval(approval("r-ap001", "U01", T0.plusSeconds(1)))).isTrue();
    ApprovalRecord second =
        new ApprovalRecord(
            "r-ap001", "U02", false, "plan-r-ap001", T0.plusSeconds(3), "changed mind");
    assertThat(store.recordApproval(second)).isFalse();

    List<ApprovalRecord> approvals = store.approvals("r-ap001");
    assertThat(approvals).extracting(ApprovalRecord::user).containsExactly("U01", "U02");
    assertThat(approvals.get(1)).isEqualTo(approval("r-ap001", "U02", T0.plusSeconds(2)));
  }

  // --- reviews of break-glass runs

  @Test
  void breakGlassRunsAwaitReviewUntilAcknowledgedEvenAfterSealing() {
    store.createRun(run("r-bg001", RunStatus.RUNNING));
    store.createRun(run("r-plain1", RunStatus.RUNNING));
    store.recordApproval(
        new ApprovalRecord("r-bg001", "U01", true, "plan-r-bg001", T0, "break glass: site down"));
    store.recordApproval(approval("r-plain1", "U02", T0));
    store.updateRun(
        store
            .findRun("r-bg001")
            .orElseThrow()
            .finished(RunStatus.SUCCEEDED, T0.plusSeconds(1), Map.of(), null));
    store.seal("r-bg001");

    assertThat(store.runsAwaitingReview()).extracting(RunRecord::id).containsExactly("r-bg001");
    ReviewRecord review = new ReviewRecord("r-bg001", "U09", T0.plusSeconds(60), "warranted");
    assertThat(store.recordReview(review)).isTrue();
    assertThat(store.recordReview(new ReviewRecord("r-bg001", "U08", T0.plusSeconds(61), null)))
        .isFalse();
    assertThat(store.review("r-bg001")).contains(review);
    assertThat(store.review("r-plain1")).isEmpty();
    assertThat(store.runsAwaitingReview()).isEmpty();
    assertThat(store.verify().intact())
        .as("a review after the seal is an entry of its own")
        .isTrue();
  }

  // --- transitions

  @Test
  void transitionIsACompareAndSet() {
    store.createRun(run("r-tr001", RunStatus.WAITING_APPROVAL));

    assertThat(store.transition("r-tr001", RunStatus.PENDING, RunStatus.RUNNING, null)).isFalse();
    assertThat(store.transition("r-tr001", RunStatus.WAITING_APPROVAL, RunStatus.REJECTED, "no"))
        .isTrue();
    assertThat(store.transition("r-tr001", RunStatus.WAITING_APPROVAL, RunStatus.RUNNING, null))
        .isFalse();
    RunRecord read = store.findRun("r-tr001").orElseThrow();
    assertThat(read.status()).isEqualTo(RunStatus.REJECTED);
    assertThat(read.reason()).isEqualTo("no");
    assertThat(store.transition("r-none", RunStatus.PENDING, RunStatus.RUNNING, null)).isFalse();
  }

  @Test
  void ofManyConcurrentTransitionsExactlyOneWins() throws Exception {
    store.createRun(run("r-race01", RunStatus.WAITING_APPROVAL));

    List<Boolean> results =
        concurrently(
            () ->
                store.transition("r-race01", RunStatus.WAITING_APPROVAL, RunStatus.RUNNING, null));

    assertThat(results).filteredOn(won -> won).hasSize(1);
    assertThat(store.findRun("r-race01").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
  }

  // --- locks

  @Test
  void aLockHasOneHolderAtATime() {
    assertThat(store.tryLock("web/production", "r-1", T0)).isEmpty();
    assertThat(store.tryLock("web/production", "r-1", T0)).isEmpty();
    assertThat(store.tryLock("web/production", "r-2", T0)).contains("r-1");
    assertThat(store.tryLock("api/production", "r-2", T0)).isEmpty();
    assertThat(store.lockHolder("web/production")).contains("r-1");

    store.releaseLock("web/production", "r-2");
    assertThat(store.lockHolder("web/production")).contains("r-1");

    store.releaseLock("web/production", "r-1");
    assertThat(store.lockHolder("web/production")).isEmpty();
    assertThat(store.tryLock("web/production", "r-2", T0)).isEmpty();
    assertThat(store.lockHolder("web/production")).contains("r-2");
  }

  @Test
  void ofManyConcurrentLockersExactlyOneHoldsTheKey() throws Exception {
    List<Callable<Optional<String>>> attempts = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      String runId = "r-lock" + i;
      attempts.add(() -> store.tryLock("shared/key", runId, T0));
    }

    List<Optional<String>> results = concurrently(attempts);

    List<String> winners = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).isEmpty()) {
        winners.add("r-lock" + i);
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(store.lockHolder("shared/key")).contains(winners.get(0));
    assertThat(results)
        .filteredOn(Optional::isPresent)
        .extracting(Optional::get)
        .containsOnly(winners.get(0));
  }

  // --- start-up

  @Test
  void runsInProgressAreMarkedInterrupted() {
    store.createRun(run("r-pend", "deploy-app", RunStatus.PENDING, T0));
    store.createRun(run("r-runn", "deploy-app", RunStatus.RUNNING, T0.plusSeconds(1)));
    store.createRun(run("r-wait", "deploy-app", RunStatus.WAITING_APPROVAL, T0.plusSeconds(2)));
    store.createRun(finished("r-done", T0.plusSeconds(3)));
    store.saveStep(step("r-runn", 0, StepStatus.SUCCEEDED, T0.plusSeconds(1)));
    store.saveStep(step("r-runn", 1, StepStatus.RUNNING, T0.plusSeconds(5)));
    store.tryLock("web/production", "r-runn", T0);
    store.tryLock("api/production", "r-wait", T0);
    Instant restart = T0.plusSeconds(60);

    List<String> interrupted = store.markInterrupted(restart, "intentbot restarted");

    assertThat(interrupted).containsExactly("r-pend", "r-runn");
    RunRecord running = store.findRun("r-runn").orElseThrow();
    assertThat(running.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(running.reason()).isEqualTo("intentbot restarted");
    assertThat(running.finishedAt()).isEqualTo(restart);
    assertThat(store.findRun("r-pend").orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(store.findRun("r-wait").orElseThrow().status())
        .isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(store.findRun("r-done").orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    List<StepRecord> steps = store.steps("r-runn");
    assertThat(steps.get(0).status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(steps.get(1).status()).isEqualTo(StepStatus.FAILED);
    assertThat(steps.get(1).reason()).isEqualTo("intentbot restarted");
    assertThat(steps.get(1).finishedAt()).isEqualTo(restart);
    assertThat(store.lockHolder("web/production")).isEmpty();
    assertThat(store.lockHolder("api/production")).contains("r-wait");
    assertThat(store.markInterrupted(restart, "again")).isEmpty();
  }

  @Test
  void onlyRunsOfSilentProcessesAreAbandoned() {
    store.createRun(run("r-live", "deploy-app", RunStatus.RUNNING, T0));
    store.createRun(run("r-dead", "deploy-app", RunStatus.RUNNING, T0));
    store.createRun(run("r-lost", "deploy-app", RunStatus.PENDING, T0));
    store.createRun(run("r-new", "deploy-app", RunStatus.PENDING, T0.plusSeconds(100)));
    store.createRun(run("r-wait", "deploy-app", RunStatus.WAITING_APPROVAL, T0));
    store.heartbeat("p-live", T0);
    store.heartbeat("p-dead", T0);
    store.claimRun("r-live", "p-dead");
    store.claimRun("r-live", "p-live");
    store.claimRun("r-dead", "p-dead");
    store.heartbeat("p-live", T0.plusSeconds(90));
    store.tryLock("web/production", "r-dead", T0);
    Instant now = T0.plusSeconds(100);

    List<String> abandoned = store.markAbandoned(now, now.minusSeconds(30), "its process stopped");

    assertThat(abandoned).containsExactly("r-dead", "r-lost");
    assertThat(store.findRun("r-live").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.findRun("r-new").orElseThrow().status())
        .as("created after the cut-off")
        .isEqualTo(RunStatus.PENDING);
    assertThat(store.findRun("r-wait").orElseThrow().status())
        .isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(store.findRun("r-dead").orElseThrow().reason()).isEqualTo("its process stopped");
    assertThat(store.lockHolder("web/production")).isEmpty();
    assertThat(store.markAbandoned(now, now.minusSeconds(30), "again")).isEmpty();
  }

  @Test
  void aLeaseHasOneHolderUntilItExpires() {
    assertThat(store.holdLease("slack-outbox", "p-a", T0, T0.plusSeconds(30))).isTrue();
    assertThat(store.holdLease("slack-outbox", "p-b", T0.plusSeconds(10), T0.plusSeconds(40)))
        .isFalse();
    assertThat(store.holdLease("slack-outbox", "p-a", T0.plusSeconds(20), T0.plusSeconds(50)))
        .as("renewed")
        .isTrue();
    assertThat(store.holdLease("slack-outbox", "p-b", T0.plusSeconds(45), T0.plusSeconds(75)))
        .isFalse();
    assertThat(store.holdLease("other", "p-b", T0.plusSeconds(45), T0.plusSeconds(75))).isTrue();
    assertThat(store.holdLease("slack-outbox", "p-b", T0.plusSeconds(51), T0.plusSeconds(81)))
        .as("taken over once expired")
        .isTrue();
    assertThat(store.holdLease("slack-outbox", "p-a", T0.plusSeconds(52), T0.plusSeconds(82)))
        .isFalse();
  }

  // --- tamper evidence

  @Test
  void sealedRunsVerifyIntact() {
    sealThree();

    VerifyResult result = store.verify();

    assertThat(result.problems()).isEmpty();
    assertThat(result.intact()).isTrue();
    assertThat(result.checked()).isEqualTo(6);
    assertThat(result.entries()).isEqualTo(Map.of("finished runs", 3, "decisions", 3));
  }

  @Test
  void anEmptyChainVerifiesIntact() {
    store.createRun(run("r-open01", RunStatus.RUNNING));

    assertVerified(store, 0);
  }

  @Test
  void aSealSurvivesTheRoundTripOfAwkwardValues() {
    Instant nanos = Instant.parse("2026-11-25T01:02:03.456789123Z");
    Map<String, Object> outputs = new java.util.HashMap<>();
    outputs.put("big", Long.MAX_VALUE);
    outputs.put("small", 5L);
    outputs.put("pi", 3.14159);
    outputs.put("none", null);
    outputs.put("text", "naïve ✓ \"quoted\"\n");
    outputs.put("nested", new java.util.TreeMap<>(Map.of("z", 1, "a", List.of())));
    RunRecord run =
        run("r-odd001", "deploy-app", RunStatus.RUNNING, nanos)
            .started(nanos.plusNanos(1))
            .finished(RunStatus.CANCELLED, nanos.plusSeconds(1), outputs, null);
    store.createRun(run);
    store.saveStep(
        new StepRecord(
            "r-odd001",
            0,
            "wait",
            "main",
            "wait",
            StepStatus.CANCELLED,
            nanos,
            null,
            0,
            Map.of(),
            "",
            null));
    store.seal("r-odd001");

    assertVerified(store, 1);
  }

  @Test
  void sealingIsIdempotent() throws SQLException {
    sealThree();

    store.seal("r-s1");
    store.seal("r-s3");

    assertVerified(store, 6);
    assertThat(tamper("UPDATE runs SET reason = reason WHERE id = 'r-s3' AND seq = 6"))
        .isEqualTo(1);
  }

  @Test
  void aSealedRunCanNoLongerChangeThroughTheStore() {
    sealThree();

    assertThatThrownBy(
            () -> store.updateRun(finished("r-s2", T0).withStatus(RunStatus.FAILED, "x")))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("run r-s2 is sealed; its record can no longer change");
    assertThatThrownBy(() -> store.saveStep(step("r-s2", 5, StepStatus.SUCCEEDED, T0)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("run r-s2 is sealed; its steps can no longer change");
    assertThat(store.recordApproval(approval("r-s2", "U_LATE", T0))).isFalse();
    assertThat(store.approvals("r-s2"))
        .extracting(ApprovalRecord::user)
        .containsExactly("U_APPROVER");
    assertThat(store.verify().problems()).isEmpty();
  }

  @Test
  void stepsAndDecisionsNeedAnExistingRun() {
    assertThatThrownBy(() -> store.saveStep(step("r-void01", 0, StepStatus.RUNNING, T0)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("no run r-void01");
    assertThatThrownBy(() -> store.recordApproval(approval("r-void01", "U1", T0)))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("no run r-void01");
  }

  @Test
  void concurrentDecisionsByOneUserKeepOne() throws Exception {
    store.createRun(run("r-click1", RunStatus.WAITING_APPROVAL));

    List<Boolean> results =
        concurrently(() -> store.recordApproval(approval("r-click1", "U_DOUBLE", T0)));

    assertThat(results).filteredOn(recorded -> recorded).hasSize(1);
    assertThat(store.approvals("r-click1")).hasSize(1);
  }

  @Test
  void onlyFinishedRunsCanBeSealed() {
    store.createRun(run("r-live01", RunStatus.RUNNING));

    assertThatThrownBy(() -> store.seal("r-live01"))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("cannot seal run r-live01: it is still running");
    assertThatThrownBy(() -> store.seal("r-nope01"))
        .isInstanceOf(AuditStoreException.class)
        .hasMessageContaining("no run r-nope01");
  }

  @Test
  void verifyFindsARunRowEditedAfterSealing() throws SQLException {
    sealThree();

    tamper("UPDATE runs SET requester = ? WHERE id = ?", "U_SOMEONE_ELSE", "r-s2");

    assertThat(store.verify().problems())
        .containsExactly("run r-s2 (seq 4) was changed after it was sealed");
  }

  @Test
  void verifyFindsAnEditedStatusAndTimestamp() throws SQLException {
    sealThree();

    tamper("UPDATE runs SET status = 'failed' WHERE id = ?", "r-s1");
    tamper("UPDATE runs SET finished_at = started_at WHERE id = ?", "r-s3");

    assertThat(store.verify().problems())
        .containsExactly(
            "run r-s1 (seq 2) was changed after it was sealed",
            "run r-s3 (seq 6) was changed after it was sealed");
  }

  @Test
  void verifyFindsADeletedSealedRun() throws SQLException {
    sealThree();

    deleteRun("r-s2");

    VerifyResult result = store.verify();
    assertThat(result.problems())
        .containsExactly(
            "the decision of U_APPROVER on run r-s2 (seq 3) was deleted after it was sealed",
            "record seq 4 is missing (deleted?)");
    assertThat(result.checked()).isEqualTo(5);
  }

  @Test
  void verifyFindsTheLastSealedRunDeleted() throws SQLException {
    sealThree();

    deleteRun("r-s3");

    assertThat(store.verify().problems())
        .containsExactly(
            "the decision of U_APPROVER on run r-s3 (seq 5) was deleted after it was sealed",
            "record seq 6 is missing (deleted?)");
  }

  @Test
  void verifyFindsAChangedStepOutput() throws SQLException {
    sealThree();

    tamper("UPDATE steps SET output_text = ? WHERE run_id = ? AND idx = 0", "all fine", "r-s1");

    assertThat(store.verify().problems())
        .containsExactly("run r-s1 (seq 2) was changed after it was sealed");
  }

  @Test
  void verifyFindsADeletedStepAndApproval() throws SQLException {
    sealThree();

    tamper("DELETE FROM steps WHERE run_id = ? AND idx = 1", "r-s2");
    tamper("DELETE FROM approvals WHERE run_id = ?", "r-s3");

    assertThat(store.verify().problems())
        .containsExactly(
            "run r-s2 (seq 4) was changed after it was sealed",
            "the decision of U_APPROVER on run r-s3 (seq 5) was deleted after it was sealed",
            "run r-s3 (seq 6) was changed after it was sealed");
  }

  @Test
  void verifyFindsARewrittenLink() throws SQLException {
    sealThree();

    tamper("UPDATE runs SET prev_hash = ? WHERE id = ?", "f".repeat(64), "r-s2");

    assertThat(store.verify().problems())
        .containsExactly(
            "run r-s2 (seq 4) does not follow the record before it (its prev_hash was changed)",
            "run r-s2 (seq 4) was changed after it was sealed");
  }

  @Test
  void verifyFindsARunTakenOutOfTheChain() throws SQLException {
    sealThree();

    tamper("UPDATE runs SET seq = NULL WHERE id = ?", "r-s2");

    assertThat(store.verify().problems())
        .containsExactly(
            "record seq 4 is missing (deleted?)",
            "run r-s2 carries a seal but no seq (its place in the chain was removed)");
  }

  @Test
  void concurrentSealsNeverForkTheChain() throws Exception {
    List<Callable<Void>> seals = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      String id = "r-cs" + i;
      store.createRun(finished(id, T0.plusSeconds(i)));
      seals.add(
          () -> {
            store.seal(id);
            store.seal(id);
            return null;
          });
    }

    concurrently(seals);

    assertVerified(store, THREADS);
  }

  @Test
  void sealsFromTwoStoresOnOneDatabaseNeverForkTheChain() throws Exception {
    try (AuditStore other = AuditStores.open(url, user(), password())) {
      List<Callable<Void>> seals = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        String id = "r-two" + i;
        AuditStore sealer = i % 2 == 0 ? store : other;
        store.createRun(finished(id, T0.plusSeconds(i)));
        seals.add(
            () -> {
              sealer.seal(id);
              return null;
            });
      }

      concurrently(seals);

      assertVerified(other, THREADS);
    }
  }

  @Test
  void theHeadIsTheNewestSealedEntry() {
    assertThat(store.head()).isEqualTo(new ChainHead(0, ChainHasher.GENESIS));
    sealThree();

    ChainHead head = store.head();

    assertThat(head.seq()).isEqualTo(6);
    assertThat(ChainHead.parse(head.toString())).isEqualTo(head);
  }

  @Test
  void aDeletedTailPassesAloneButNotAgainstAHeadKeptElsewhere() throws Exception {
    sealThree();
    ChainHead witnessed = store.head();
    deleteRun("r-s3");
    assertThat(tamper("DELETE FROM chain_entries WHERE seq = 5")).as("r-s3's approval").isOne();
    ChainHead second = new ChainHead(4, chainHash("r-s2"));
    tamper("UPDATE chain_head SET last_seq = 4, last_hash = ?", second.hash());

    assertThat(store.verify().intact()).as("the chain alone cannot see a deleted tail").isTrue();
    assertThat(store.verify(Optional.of(witnessed)).problems())
        .containsExactly(
            "the expected entry "
                + witnessed
                + " is not in the chain (the chain ends at seq 4): records were deleted");
    assertThat(store.verify(Optional.of(second)).intact()).isTrue();
  }

  @Test
  void aChainResealedWithoutTheKeyFailsItsMacs() throws Exception {
    store.close();
    store = AuditStores.open(url, user(), password(), Optional.of(KEY));
    sealThree();
    assertThat(store.verify())
        .extracting(VerifyResult::checked, VerifyResult::signed, VerifyResult::problems)
        .containsExactly(6, 6, List.of());
    ChainHead witnessed = store.head();

    tamper("UPDATE runs SET requester = 'U_SOMEONE_ELSE' WHERE id = 'r-s2'");
    resealWithoutTheKey();

    try (AuditStore unkeyed = AuditStores.open(url, user(), password())) {
      assertThat(unkeyed.verify().intact()).as("a re-sealed chain passes without the key").isTrue();
    }
    assertThat(store.verify().problems())
        .containsExactly(
            "run r-s2 (seq 4) carries a MAC that INTENTBOT_AUDIT_KEY did not make (re-sealed"
                + " without the key, or another key)",
            "the decision of U_APPROVER on run r-s3 (seq 5) carries a MAC that"
                + " INTENTBOT_AUDIT_KEY did not make (re-sealed without the key, or another key)",
            "run r-s3 (seq 6) carries a MAC that INTENTBOT_AUDIT_KEY did not make (re-sealed"
                + " without the key, or another key)");
    tamper("UPDATE runs SET record_mac = NULL");
    tamper("UPDATE chain_entries SET record_mac = NULL");
    assertThat(store.verify().problems())
        .as("stripped of every MAC it looks sealed before the key: the kept head catches that")
        .isEmpty();
    assertThat(store.verify(Optional.of(witnessed)).problems())
        .containsExactly(
            "run r-s3 (seq 6) is not the entry expected ("
                + witnessed
                + "): the chain was rewritten from there");
  }

  @Test
  void aMacFromAnotherKeyOrAMissingOneAfterSignedRecordsFails() throws Exception {
    store.close();
    store = AuditStores.open(url, user(), password(), Optional.of(KEY));
    sealThree();
    tamper("UPDATE runs SET record_mac = NULL WHERE id = 'r-s3'");

    assertThat(store.verify().problems())
        .containsExactly(
            "run r-s3 (seq 6) carries no MAC though records before it do (re-sealed without the"
                + " key?)");
    try (AuditStore other =
        AuditStores.open(url, user(), password(), Optional.of(AuditKey.of("b".repeat(40))))) {
      assertThat(other.verify().problems())
          .hasSize(6)
          .filteredOn(p -> p.contains("did not make"))
          .hasSize(5);
    }
  }

  // --- decisions, acknowledgements and the access log are entries of the chain

  @Test
  void aDecisionEditedOrDeletedBeforeItsRunEndsFailsVerify() throws Exception {
    store.createRun(run("r-wait01", RunStatus.WAITING_APPROVAL));
    store.recordApproval(approval("r-wait01", "U_ALICE", T0.plusSeconds(1)));
    store.recordApproval(
        new ApprovalRecord("r-wait01", "U_BOB", false, "plan-r-wait01", T0.plusSeconds(2), "no"));
    assertThat(
            store
                .waitingRuns()
                .recordCountedApproval(approval("r-wait01", "U_CAROL", T0.plusSeconds(3)), 2)
                .outcome())
        .isEqualTo(CountedApproval.Outcome.RECORDED);
    assertVerified(store, 3);
    assertThat(store.verify().entries()).isEqualTo(Map.of("decisions", 3));

    tamper("UPDATE approvals SET comment = 'fine by me' WHERE user_id = 'U_ALICE'");
    tamper("DELETE FROM approvals WHERE user_id = 'U_BOB'");
    tamper("UPDATE approvals SET place = 2 WHERE user_id = 'U_CAROL'");

    assertThat(store.verify().problems())
        .containsExactly(
            "the decision of U_ALICE on run r-wait01 (seq 1) was changed after it was sealed",
            "the decision of U_BOB on run r-wait01 (seq 2) was deleted after it was sealed",
            "the decision of U_CAROL on run r-wait01 (seq 3) was changed after it was sealed");
  }

  @Test
  void anAcknowledgementEditedOrDeletedFailsVerify() throws Exception {
    store.createRun(finished("r-bg002", T0));
    store.seal("r-bg002");
    store.recordReview(new ReviewRecord("r-bg002", "U09", T0.plusSeconds(60), "warranted"));
    assertThat(store.verify().entries())
        .isEqualTo(Map.of("finished runs", 1, "acknowledgements", 1));

    tamper("UPDATE run_reviews SET user_id = 'U_SOMEONE'");
    assertThat(store.verify().problems())
        .containsExactly(
            "the acknowledgement of run r-bg002 (seq 2) was changed after it was sealed");
    tamper("DELETE FROM run_reviews");
    assertThat(store.verify().problems())
        .containsExactly(
            "the acknowledgement of run r-bg002 (seq 2) was deleted after it was sealed");
    assertThat(store.runsAwaitingReview()).isEmpty(); // not a break-glass run: nothing to review
  }

  @Test
  void aRefusedAttemptEditedOrDeletedFailsVerify() throws Exception {
    AccessEvent first = store.recordAccess(refusal("U_MALLORY", T0));
    AccessEvent second = store.recordAccess(refusal("U_MALLORY", T0.plusSeconds(1)));
    assertThat(second.id()).isGreaterThan(first.id());
    assertThat(store.verify().entries()).isEqualTo(Map.of("access log entries", 2));

    tamper("DELETE FROM access_log WHERE id = ?", first.id());
    tamper("UPDATE access_log SET user_id = 'U_NOBODY' WHERE id = ?", second.id());

    assertThat(store.verify().problems())
        .containsExactly(
            "access log entry " + first.id() + " (seq 1) was deleted after it was sealed",
            "access log entry " + second.id() + " (seq 2) was changed after it was sealed");
    assertThat(store.refusedAttempts(10)).extracting(AccessEvent::user).containsExactly("U_NOBODY");
  }

  @Test
  void entriesOfEveryKindShareOneChainWithTheRunsAndItsMacs() throws Exception {
    store.close();
    store = AuditStores.open(url, user(), password(), Optional.of(KEY));
    sealThree();
    store.recordAccess(refusal("U_MALLORY", T0));
    store.recordReview(new ReviewRecord("r-s1", "U09", T0.plusSeconds(60), null));

    VerifyResult result = store.verify();

    assertThat(result.problems()).isEmpty();
    assertThat(result.signed()).isEqualTo(8);
    assertThat(result.entries())
        .isEqualTo(
            Map.of(
                "finished runs",
                3,
                "decisions",
                3,
                "acknowledgements",
                1,
                "access log entries",
                1));
    assertThat(store.head().seq()).isEqualTo(8);
    assertThat(result.covers(store.head()).get(0))
        .startsWith(
            "covers: 3 finished runs, 3 decisions, 1 acknowledgements, 1 access log entries");
  }

  @Test
  void concurrentDecisionsAndSealsNeverForkTheChain() throws Exception {
    List<Callable<Object>> work = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      String id = "r-mix" + i;
      store.createRun(finished(id, T0.plusSeconds(i)));
      store.createRun(run("r-ask" + i, RunStatus.WAITING_APPROVAL));
      int n = i;
      work.add(
          () -> {
            store.seal(id);
            return null;
          });
      work.add(() -> store.recordApproval(approval("r-ask" + n, "U_A", T0)));
      work.add(() -> store.recordAccess(refusal("U_M" + n, T0)));
    }

    concurrently(work);

    assertVerified(store, THREADS * 3);
  }

  @Test
  void aDecisionInsertedBehindTheStoresBackFailsVerify() throws Exception {
    store.createRun(run("r-fake01", RunStatus.WAITING_APPROVAL));
    insertDecisionBehindTheStoresBack("r-fake01", "U_FAKE");

    assertThat(store.verify().problems())
        .containsExactly(
            "1 of the decisions carry no chain entry though the store seals every one it writes"
                + " (inserted behind its back?)");
  }

  /** Rows written before the store sealed them (an upgraded database) are named, not hidden. */
  @Test
  void rowsFromBeforeTheUpgradeAreCountedAsNotCovered() throws Exception {
    store.createRun(run("r-old001", RunStatus.WAITING_APPROVAL));
    insertDecisionBehindTheStoresBack("r-old001", "U_OLD");
    tamper("UPDATE chain_legacy SET rows_before = 1 WHERE kind = 'approval'");

    VerifyResult result = store.verify();

    assertThat(result.problems()).isEmpty();
    assertThat(result.outside()).isEqualTo(Map.of("decisions", 1L));
    assertThat(result.covers(store.head()).get(1))
        .contains("rows written before this store sealed them (1 decisions)");
  }

  private void insertDecisionBehindTheStoresBack(String runId, String user) throws SQLException {
    tamper(
        "INSERT INTO approvals (run_id, user_id, approved, decided_at) VALUES (?, ?, TRUE, ?)",
        runId,
        user,
        java.time.OffsetDateTime.parse("2026-11-01T00:00:00Z"));
  }

  private static AccessEvent refusal(String user, Instant at) {
    return new AccessEvent(
        0,
        at,
        user,
        "mallory",
        "host-1",
        "cli",
        null,
        "run",
        "deploy-app",
        null,
        List.of("production"),
        "access[1]",
        true,
        "deploy-app in production: only members of S01DEPLOYERS");
  }

  private static final AuditKey KEY = AuditKey.of("k".repeat(32));

  private String chainHash(String runId) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user(), password())) {
      return ChainRows.link(connection, runId).orElseThrow().recordHash();
    }
  }

  /** What a re-sealer with the jar's hasher but not the key does: recompute every link. */
  private void resealWithoutTheKey() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user(), password())) {
      String previous = ChainHasher.GENESIS;
      long seq = 0;
      for (ChainRows.Link link : ChainRows.links(connection)) {
        String hash;
        if (link.entry() == null) {
          RunRecord run = ChainRows.run(connection, link.runId()).orElseThrow();
          hash =
              ChainHasher.hash(
                  previous, ChainRows.sealed(connection, run, link.seq(), link.sealedAt()));
        } else {
          hash =
              ChainHasher.hash(
                  previous,
                  link.seq(),
                  link.sealedAt(),
                  link.entry(),
                  link.entry().row(connection).orElseThrow());
        }
        Jdbc.update(
            connection,
            link.entry() == null
                ? "UPDATE runs SET prev_hash = ?, record_hash = ? WHERE seq = ?"
                : "UPDATE chain_entries SET prev_hash = ?, record_hash = ? WHERE seq = ?",
            previous,
            hash,
            link.seq());
        previous = hash;
        seq = link.seq();
      }
      ChainRows.moveHead(connection, seq, previous);
    }
  }

  /** Asserts the chain verifies intact with {@code checked} entries. */
  static void assertVerified(AuditStore store, int checked) {
    VerifyResult result = store.verify();
    assertThat(result.problems()).isEmpty();
    assertThat(result.checked()).isEqualTo(checked);
  }

  private void sealThree() {
    for (int i = 1; i <= 3; i++) {
      String id = "r-s" + i;
      Instant at = T0.plusSeconds(i * 100L);
      store.createRun(run(id, "deploy-app", RunStatus.PENDING, at));
      store.recordApproval(approval(id, "U_APPROVER", at.plusSeconds(1)));
      store.saveStep(step(id, 0, StepStatus.SUCCEEDED, at.plusSeconds(2)));
      store.saveStep(step(id, 1, StepStatus.SUCCEEDED, at.plusSeconds(4)));
      store.updateRun(finished(id, at));
      store.seal(id);
    }
  }

  private void deleteRun(String runId) throws SQLException {
    tamper("DELETE FROM steps WHERE run_id = ?", runId);
    tamper("DELETE FROM approvals WHERE run_id = ?", runId);
    assertThat(tamper("DELETE FROM runs WHERE id = ?", runId)).isEqualTo(1);
  }

  private <T> List<T> concurrently(Callable<T> task) throws Exception {
    List<Callable<T>> tasks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      tasks.add(task);
    }
    return concurrently(tasks);
  }

  /** Starts every task at once (behind one gate) and returns their results in order. */
  private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch gate = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  gate.await();
                  return task.call();
                }));
      }
      gate.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
