package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 8: config's {@code limits:} refuse submissions past a limit, naming it, and keep
 * threads and child processes bounded however many runs are queued. Nothing here depends on time:
 * the runs hold a child process until they are cancelled, and counts are compared, not durations.
 */
class EngineLimitsTest {

  /** A run that holds a child process until it is cancelled. */
  static final String HOLD =
      """
      name: hold
      description: Holds a child process until cancelled
      risk: mutating
      parameters: {}
      steps:
        - id: hold
          type: shell
          with: { command: [sleep, "600"] }
      """;

  static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path dir;
  EngineFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private Engine start(String limits) {
    fixture =
        new EngineFixture(dir).intent("hold", HOLD).config(EngineFixture.DEFAULT_CONFIG + limits);
    return fixture.start();
  }

  private static RunRequest hold(String user) {
    return RunRequest.of("hold", List.of(), user);
  }

  private static void cancelAll(Engine engine, List<String> ids) throws InterruptedException {
    List<String> newestFirst = new ArrayList<>(ids);
    Collections.reverse(newestFirst);
    for (String id : newestFirst) {
      RunRecord run = engine.run(id).orElseThrow();
      assertThat(engine.cancel(id, run.requester()).accepted()).isTrue();
    }
    for (String id : ids) {
      assertThat(engine.awaitFinished(id, WAIT).orElseThrow().status())
          .isEqualTo(RunStatus.CANCELLED);
    }
  }

  @Test
  void submissionsPastALimitAreRefusedNamingItAndAudited() throws Exception {
    Engine engine = start("limits: { runs_per_user: 5, runs_total: 8 }\n");
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Submission>> attempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attempts.add(
          pool.submit(
              () -> {
                go.await();
                return engine.submit(hold("U_A"));
              }));
    }
    go.countDown();
    List<String> started = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    for (Future<Submission> attempt : attempts) {
      Submission s = attempt.get();
      if (s instanceof Submission.Started st) {
        started.add(st.run().id());
      } else {
        refused.add(((Submission.Refused) s).reason());
      }
    }
    pool.shutdown();
    assertThat(started).as("20 at once: exactly the limit starts").hasSize(5);
    assertThat(refused)
        .hasSize(15)
        .containsOnly(new Refusal.LimitReached(Refusal.Limit.RUNS_PER_USER, 5, "U_A"));

    assertThat(engine.submit(hold("U_A").asDryRun()))
        .as("dry runs are not counted")
        .isInstanceOf(Submission.Planned.class);
    for (int i = 0; i < 3; i++) {
      Submission s = engine.submit(hold("U_B"));
      assertThat(s).isInstanceOf(Submission.Started.class);
      started.add(((Submission.Started) s).run().id());
    }
    assertThat(engine.submit(hold("U_C")))
        .isEqualTo(
            new Submission.Refused(new Refusal.LimitReached(Refusal.Limit.RUNS_TOTAL, 8, "U_C")));

    List<AccessEvent> log = engine.refusedAttempts(100);
    assertThat(log)
        .extracting(AccessEvent::rule)
        .filteredOn("limits.runs_per_user"::equals)
        .hasSize(15);
    assertThat(log)
        .filteredOn(e -> "limits.runs_total".equals(e.rule()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.user()).isEqualTo("U_C");
              assertThat(e.intent()).isEqualTo("hold");
              assertThat(e.action()).isEqualTo("run");
            });

    String first = started.get(0);
    assertThat(engine.cancel(first, "U_A").accepted()).isTrue();
    assertThat(engine.awaitFinished(first, WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.CANCELLED);
    Submission again = engine.submit(hold("U_A"));
    assertThat(again).as("a finished run frees its place").isInstanceOf(Submission.Started.class);
    started.remove(first);
    started.add(((Submission.Started) again).run().id());
    cancelAll(engine, started);
  }

  @Test
  void theAccessRulesRefuseBeforeTheLimitsAreCountedSoALimitNeverMasksTheRule() throws Exception {
    Engine engine =
        start(
            """
            limits: { runs_per_user: 5, runs_total: 1 }
            access:
              - intents: [hold]
                users: [U_A]
            """);
    Submission first = engine.submit(hold("U_A"));
    assertThat(first).isInstanceOf(Submission.Started.class);

    Submission stranger = engine.submit(hold("U_B"));

    assertThat(stranger).isInstanceOf(Submission.Refused.class);
    assertThat(((Submission.Refused) stranger).reason())
        .as("U_B may not run hold at all: that is the answer, not 'the limit is reached'")
        .isInstanceOfSatisfying(
            Refusal.RefusedByPolicy.class,
            policy -> assertThat(policy.allows().users()).containsExactly("U_A"));
    assertThat(engine.submit(hold("U_A")))
        .isEqualTo(
            new Submission.Refused(new Refusal.LimitReached(Refusal.Limit.RUNS_TOTAL, 1, "U_A")));
    cancelAll(engine, List.of(((Submission.Started) first).run().id()));
  }

  @Test
  void threadsAndChildProcessesStayBoundedWith300QueuedRuns() throws Exception {
    Engine engine = start("limits: { runs_per_user: 1000, runs_total: 1000, processes: 4 }\n");
    var threads = ManagementFactory.getThreadMXBean();
    int before = threads.getThreadCount();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Submission s = engine.submit(hold("U_A"));
      assertThat(s).isInstanceOf(Submission.Started.class);
      ids.add(((Submission.Started) s).run().id());
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                fixture.events().stream()
                        .filter(e -> e instanceof RunEvent.OutputLine o && queued(o.line()))
                        .count()
                    == 296);
    await().atMost(WAIT).until(() -> sleepers() == 4);

    int during = threads.getThreadCount();
    assertThat(during - before)
        .as(
            "threads added by 300 runs, 4 executing (each run used to hold a step thread and two"
                + " output pumps: over 900)")
        .isLessThan(100);
    assertThat(sleepers()).as("child processes").isEqualTo(4);
    assertThat(engine.history("hold", 300))
        .extracting(RunRecord::status)
        .containsOnly(RunStatus.RUNNING);

    cancelAll(engine, ids);
    assertThat(sleepers()).isZero();
  }

  private static boolean queued(String line) {
    return line.startsWith("waiting: 4 steps are executing already (limits.processes)");
  }

  /** This JVM's child processes running {@code sleep}. */
  private static long sleepers() {
    return ProcessHandle.current()
        .children()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
        .count();
  }
}
