package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs intents end to end: real step types, a real H2 audit file, real processes. */
class EngineRunTest {

  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private RunRecord runToEnd(Engine engine, String intent, String... args) throws Exception {
    Submission submission = engine.submit(RunRequest.of(intent, List.of(args), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) submission).run().id();
    return engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();
  }

  @Test
  void chainsOutputsThroughStepsAndLibrariesAndRecordsEveryStep() throws Exception {
    fixture =
        new EngineFixture(dir)
            .library(
                "next-version",
                """
                name: next-version
                parameters:
                  current: { type: string, required: true }
                steps:
                  - id: bump
                    type: set
                    with: { version: "${{ params.current + '.1' }}" }
                outputs:
                  version: "${{ steps.bump.outputs.version }}"
                """)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                  replicas: { type: integer, default: 2 }
                steps:
                  - id: version
                    uses: lib/next-version
                    with: { current: "1.4" }
                  - id: image
                    type: set
                    with:
                      ref: "registry/${{ params.app }}:${{ steps.version.outputs.version }}"
                      namespace: "${{ env.namespace }}"
                      more: "${{ params.replicas + 1 }}"
                  - id: echo
                    type: shell
                    with: { command: [echo, "${{ steps.image.outputs.ref }}"] }
                  - id: never
                    type: shell
                    if: "${{ params.replicas > 5 }}"
                    with: { command: ["false"] }
                outputs:
                  image: "${{ steps.image.outputs.ref }}"
                  replicas: "${{ steps.image.outputs.more }}"
                """);
    Engine engine = fixture.start();
    RunRecord run = runToEnd(engine, "deploy-app", "app=web", "env=sandbox");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.outputs())
        .containsEntry("image", "registry/web:1.4.1")
        .containsEntry("replicas", 3);
    assertThat(run.requester()).isEqualTo("U_CAROL");
    assertThat(run.parameters()).containsEntry("app", "web").containsEntry("replicas", "2");
    List<StepRecord> steps = engine.steps(run.id());
    assertThat(steps)
        .extracting(StepRecord::stepId, StepRecord::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("version", StepStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("version.bump", StepStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("image", StepStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("echo", StepStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("never", StepStatus.SKIPPED));
    assertThat(steps.get(2).outputs()).containsEntry("namespace", "web-sandbox");
    assertThat(steps.get(3).outputText())
        .isEqualTo("$ echo registry/web:1.4.1\nregistry/web:1.4.1");
    assertThat(steps.get(3).durationMillis()).isGreaterThanOrEqualTo(0);
    assertThat(fixture.events(RunEvent.OutputLine.class, run.id()))
        .extracting(RunEvent.OutputLine::line)
        .contains("registry/web:1.4.1");
    assertThat(fixture.events(RunEvent.RunFinished.class, run.id())).hasSize(1);
    assertThat(engine.audit().verify().intact()).isTrue();
  }

  @Test
  void runsOnFailureStepsAndSaysSo() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "fails",
                """
                name: fails
                parameters:
                  rollback: { type: boolean, default: true }
                steps:
                  - id: ok
                    type: set
                    with: { a: "1" }
                  - id: boom
                    type: shell
                    with: { command: [sh, -c, "echo broken >&2; exit 3"] }
                  - id: unreachable
                    type: set
                    with: { b: "2" }
                on_failure:
                  - id: undo
                    if: "${{ params.rollback }}"
                    type: shell
                    with: { command: [echo, "undoing ${{ steps.ok.outputs.a }}"] }
                """);
    Engine engine = fixture.start();
    RunRecord run = runToEnd(engine, "fails");
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason())
        .startsWith("step 'boom' failed: ")
        .contains("exit")
        .contains("3")
        .endsWith("; on_failure steps ran and succeeded");
    assertThat(engine.steps(run.id()))
        .extracting(StepRecord::stepId)
        .containsExactly("ok", "boom", "undo");
    assertThat(engine.steps(run.id()).get(2).outputText()).endsWith("\nundoing 1");
    assertThat(fixture.events(RunEvent.RunFinished.class, run.id()).get(0).rolledBack()).isTrue();
  }

  @Test
  void retriesAFailingStepAndTimesOutASlowOne() throws Exception {
    Path counter = dir.resolve("count");
    fixture =
        new EngineFixture(dir)
            .intent(
                "flaky",
                """
                name: flaky
                steps:
                  - id: third-time-lucky
                    type: shell
                    with: { command: [sh, -c, "echo x >> '%s'; test $(wc -l < '%s') -ge 3"] }
                    retry: { attempts: 3, backoff: 10ms }
                """
                    .formatted(counter, counter))
            .intent(
                "slow",
                """
                name: slow
                steps:
                  - id: sleepy
                    type: shell
                    with: { command: [sleep, "30"] }
                    timeout: 300ms
                """);
    Engine engine = fixture.start();
    RunRecord flaky = runToEnd(engine, "flaky");
    assertThat(flaky.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.steps(flaky.id()).get(0).attempts()).isEqualTo(3);
    assertThat(Files.readAllLines(counter)).hasSize(3);
    assertThat(engine.steps(flaky.id()).get(0).outputText()).contains("attempt 1 of 3 failed");

    long start = System.nanoTime();
    RunRecord slow = runToEnd(engine, "slow");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(slow.status()).isEqualTo(RunStatus.FAILED);
    assertThat(slow.reason()).isEqualTo("step 'sleepy' failed: timed out after 300ms");
  }

  @Test
  void cancelsARunningStepCleanly() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "long",
                """
                name: long
                steps:
                  - id: sleepy
                    type: shell
                    with: { command: [sleep, "60"] }
                  - id: after
                    type: set
                    with: { a: "1" }
                """);
    Engine engine = fixture.start();
    Submission.Started started =
        (Submission.Started) engine.submit(RunRequest.of("long", List.of(), "U_CAROL"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !fixture.events(RunEvent.StepStarted.class, started.run().id()).isEmpty());
    Decision decision = engine.cancel(started.run().id(), "U_CAROL");
    assertThat(decision.accepted()).isTrue();
    RunRecord run = engine.awaitFinished(started.run().id(), Duration.ofSeconds(10)).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason()).isEqualTo("cancelled by U_CAROL during step 'sleepy'");
    assertThat(engine.steps(run.id()))
        .extracting(StepRecord::stepId, StepRecord::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sleepy", StepStatus.CANCELLED));
    assertThat(((Decision.Refused) engine.cancel(run.id(), "U_CAROL")).reason())
        .isEqualTo(new Refusal.AlreadyFinished(run.id(), RunStatus.CANCELLED));
  }

  @Test
  void refusesASecondRunWhileTheLockIsHeldAndReleasesItAfter() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "locked",
                """
                name: locked
                parameters:
                  app: { type: app, required: true }
                lock: "${{ params.app }}"
                steps:
                  - id: hold
                    type: shell
                    with: { command: [sleep, "1"] }
                """);
    Engine engine = fixture.start();
    Submission.Started first =
        (Submission.Started) engine.submit(RunRequest.of("locked", List.of("app=web"), "U_CAROL"));
    Submission second = engine.submit(RunRequest.of("locked", List.of("app=web"), "U_DAVE"));
    assertThat(second).isInstanceOf(Submission.Refused.class);
    Submission.Refused refused = (Submission.Refused) second;
    assertThat(refused.lockHolder()).isEqualTo(first.run().id());
    assertThat(refused.reason())
        .isInstanceOfSatisfying(
            Refusal.LockHeld.class,
            held -> {
              assertThat(held.key()).isEqualTo("web");
              assertThat(held.holder()).isEqualTo(first.run().id());
              assertThat(held.holderIntent()).isEqualTo("locked");
              assertThat(held.holderRequester()).isEqualTo("U_CAROL");
            });
    assertThat(engine.submit(RunRequest.of("locked", List.of("app=api"), "U_DAVE")))
        .isInstanceOf(Submission.Started.class);
    engine.awaitFinished(first.run().id(), Duration.ofSeconds(10));
    assertThat(engine.audit().lockHolder("web")).isEmpty();
    assertThat(engine.submit(RunRequest.of("locked", List.of("app=web"), "U_DAVE")))
        .isInstanceOf(Submission.Started.class);
  }

  @Test
  void waitsForTheLockWhenTheIntentSaysSo() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "queued",
                """
                name: queued
                lock: { key: shared, wait: 20s }
                steps:
                  - id: hold
                    type: shell
                    with: { command: [sleep, "0.5"] }
                """);
    Engine engine = fixture.start();
    Submission.Started first =
        (Submission.Started) engine.submit(RunRequest.of("queued", List.of(), "U_A"));
    Submission.Started second =
        (Submission.Started) engine.submit(RunRequest.of("queued", List.of(), "U_B"));
    RunRecord a = engine.awaitFinished(first.run().id(), Duration.ofSeconds(20)).orElseThrow();
    RunRecord b = engine.awaitFinished(second.run().id(), Duration.ofSeconds(20)).orElseThrow();
    assertThat(a.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(b.status()).isEqualTo(RunStatus.SUCCEEDED);
    boolean serial =
        !b.startedAt().isBefore(a.finishedAt()) || !a.startedAt().isBefore(b.finishedAt());
    assertThat(serial).as("runs holding the same lock never overlap").isTrue();
  }

  @Test
  void invalidInputRecordsNothing() {
    fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                parameters:
                  app: { type: app, required: true }
                steps:
                  - id: a
                    type: set
                    with: { x: "1" }
                """);
    Engine engine = fixture.start();
    Submission unknown = engine.submit(RunRequest.of("deploy-ap", List.of(), "U_A"));
    assertThat(((Submission.Invalid) unknown).errors())
        .containsExactly(
            "unknown intent 'deploy-ap'. Did you mean deploy-app? `list` shows every intent.");
    Submission bad = engine.submit(RunRequest.of("deploy-app", List.of("app=nope"), "U_A"));
    assertThat(((Submission.Invalid) bad).errors())
        .containsExactly(
            "parameter 'app' must be one of the configured apps: web, api; got 'nope'");
    assertThat(engine.history(null, 10)).isEmpty();
  }

  @Test
  void masksSecretsInOutputEventsAndTheAuditStore() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "leaky",
                """
                name: leaky
                parameters:
                  password: { type: string, secret: true, required: true }
                steps:
                  - id: print
                    type: shell
                    with:
                      command: [sh, -c, 'echo "pw=$PW"; echo "token xoxb-1234567890-abcdefghij"; echo "$API"']
                      env: { PW: "${{ params.password }}", API: "key-from-env-42" }
                      secret_env: [API]
                outputs:
                  echoed: "${{ steps.print.outputs.stdout }}"
                """);
    Engine engine = fixture.start();
    RunRecord run = runToEnd(engine, "leaky", "password=hunter2-very-secret");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.parameters()).containsEntry("password", "***");
    String stored = engine.steps(run.id()).get(0).outputText();
    assertThat(stored)
        .doesNotContain("hunter2-very-secret")
        .doesNotContain("xoxb-1234567890")
        .doesNotContain("key-from-env-42");
    assertThat(stored).contains("pw=***").contains("***");
    assertThat(String.valueOf(run.outputs()))
        .doesNotContain("hunter2-very-secret")
        .doesNotContain("key-from-env-42");
    assertThat(fixture.events(RunEvent.OutputLine.class, run.id()))
        .extracting(RunEvent.OutputLine::line)
        .noneMatch(
            l -> l.contains("hunter2") || l.contains("xoxb-1234") || l.contains("key-from-env"));
  }

  @Test
  void marksRunsOfStoppedProcessesAsInterruptedAndReleasesTheirLocks() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "long",
                """
                name: long
                lock: the-lock
                steps:
                  - id: sleepy
                    type: shell
                    with: { command: [sleep, "30"] }
                """);
    Engine first = fixture.start();
    Submission.Started started =
        (Submission.Started) first.submit(RunRequest.of("long", List.of(), "U_A"));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.run(started.run().id()).orElseThrow().status() == RunStatus.RUNNING);
    Engine neighbour = fixture.start();
    assertThat(neighbour.recoverInterrupted())
        .as("a process that still beats keeps its runs")
        .isEmpty();
    assertThat(neighbour.run(started.run().id()).orElseThrow().status())
        .isEqualTo(RunStatus.RUNNING);
    fixture.clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(5)));
    Engine second = fixture.start();
    List<String> interrupted = second.recoverInterrupted();
    assertThat(interrupted)
        .as("five minutes on, the first process has been silent too long")
        .containsExactly(started.run().id());
    RunRecord run = second.run(started.run().id()).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(second.audit().lockHolder("the-lock")).isEmpty();
    assertThat(second.audit().verify().intact()).isTrue();
  }

  @Test
  void waitingRunsHoldNoThreadAndCanBeCancelledWhileWaiting() throws Exception {
    fixture =
        new EngineFixture(dir)
            .config(EngineFixture.DEFAULT_CONFIG + "limits: { runs_per_user: 60 }\n")
            .intent(
                "pause",
                """
                name: pause
                steps:
                  - id: nap
                    type: wait
                    with: { duration: 30s }
                """);
    Engine engine = fixture.start();
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(
          ((Submission.Started) engine.submit(RunRequest.of("pause", List.of(), "U_A")))
              .run()
              .id());
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                fixture.events().stream().filter(e -> e instanceof RunEvent.StepStarted).count()
                    == 60);
    long engineThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("intentbot-"))
            .count();
    assertThat(engineThreads).as("threads while 60 runs wait").isLessThan(40);
    for (String id : ids) {
      assertThat(engine.cancel(id, "U_A").accepted()).isTrue();
    }
    for (String id : ids) {
      RunRecord run = engine.awaitFinished(id, Duration.ofSeconds(10)).orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    }
  }
}
