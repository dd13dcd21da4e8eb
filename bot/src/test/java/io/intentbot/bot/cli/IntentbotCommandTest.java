package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentbotCommandTest {

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    cli.engine
        .intent(
            "deploy-app",
            """
            name: deploy-app
            description: Roll out a version
            parameters:
              app: { type: app, required: true }
              env: { type: environment, required: true }
              replicas: { type: integer, min: 1, max: 20, default: 2, description: pods to run }
            lock: "${{ params.app }}/${{ params.env }}"
            steps:
              - id: rollout
                type: shell
                with: { command: [echo, "rolling out ${{ params.app }} x${{ params.replicas }}"] }
            outputs:
              replicas: "${{ params.replicas }}"
            """)
        .intent(
            "broken-one",
            """
            name: broken-one
            steps:
              - id: a
                type: nope
            """);
  }

  /** What `run` says first while broken-one.yaml does not load. */
  private static final String BROKEN_FILES =
      "invalid intent file: broken-one.yaml:4:11: unknown step type 'nope'; `intentbot steps`"
          + " lists them\n1 intent file(s) did not load and cannot be run; `intentbot lint` shows"
          + " every problem\n";

  @Test
  void runSucceedsAndStreamsTheThread() {
    CliFixture.Result result = cli.run("run", "deploy-app", "app=web", "env=sandbox", "replicas=3");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("rolling out web x3").contains("replicas = 3");
    assertThat(cli.run("history").out())
        .contains("deploy-app")
        .contains("succeeded")
        .contains("app=web env=sandbox replicas=3");
  }

  @Test
  void invalidInputExitsTwoWithTheExactMessage() {
    CliFixture.Result result =
        cli.run("run", "deploy-app", "app=web", "env=sandbox", "replicas=99");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(BROKEN_FILES + "error: parameter 'replicas' must be between 1 and 20, got 99\n");
    CliFixture.Result unknown = cli.run("run", "deploy-ap");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown intent 'deploy-ap'. Did you mean deploy-app?");
    CliFixture.Result broken = cli.run("run", "broken-one");
    assertThat(broken.exitCode()).isEqualTo(2);
    assertThat(broken.err())
        .startsWith(BROKEN_FILES + "error: intent 'broken-one' cannot run: its file has problems")
        .contains("broken-one.yaml:4:11: unknown step type 'nope'");
    assertThat(cli.run("history").out()).isEqualTo("no runs yet\n");
  }

  @Test
  void protectedEnvironmentWaitsWithExitThreeAndTheRequesterCannotApprove() {
    CliFixture.Result waiting =
        cli.run("run", "deploy-app", "app=web", "env=production", "--as", "U_CAROL");
    assertThat(waiting.exitCode()).isEqualTo(3);
    String id = waiting.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(id).matches("r-[a-z0-9]{8}");
    CliFixture.Result self = cli.run("approve", id, "--as", "U_CAROL");
    assertThat(self.exitCode()).isEqualTo(4);
    assertThat(self.err())
        .contains("you requested run " + id + ", so you cannot approve it yourself");
    CliFixture.Result approved = cli.runAs("alice", "approve", id);
    assertThat(approved.exitCode()).isZero();
    assertThat(approved.out()).contains("approved by U_ALICE").contains("rolling out web x2");
    CliFixture.Result show = cli.run("show", id);
    assertThat(show.out())
        .contains("approved by U_ALICE")
        .contains("step rollout (shell, main): succeeded");
  }

  @Test
  void lintReportsEveryProblemAndExitsTwo() throws Exception {
    CliFixture.Result lint = cli.run("lint");
    assertThat(lint.exitCode()).isEqualTo(2);
    assertThat(lint.out())
        .contains("broken-one.yaml:4:11: unknown step type 'nope'")
        .contains("1 problems (1 intents, 0 library steps valid)");
    Files.delete(cli.engine.intentsDir().resolve("broken-one.yaml"));
    CliFixture.Result clean = cli.run("lint", cli.engine.intentsDir().toString());
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.out()).endsWith("1 intents, 0 library steps, no problems\n");
  }

  @Test
  void listDescribeAndStepsComeFromTheDefinitions() {
    assertThat(cli.run("list").out())
        .contains("deploy-app")
        .contains("mutating")
        .contains("Roll out a version");
    String describe = cli.run("describe", "deploy-app").out();
    assertThat(describe).contains("replicas").contains("pods to run").contains("production");
    String steps = cli.run("steps").out();
    assertThat(steps).contains("shell - ").contains("command: list of").contains("flyway - ");
    CliFixture.Result shell = cli.run("steps", "shell", "--json");
    assertThat(shell.out()).contains("\"command\"").contains("\"secret_env\"");
    assertThat(cli.run("steps", "nope").exitCode()).isEqualTo(2);
  }

  @Test
  void auditVerifyFindsATamperedRecord() throws Exception {
    assertThat(cli.run("run", "deploy-app", "app=web", "env=sandbox").exitCode()).isZero();
    CliFixture.Result intact = cli.run("audit", "verify");
    assertThat(intact.exitCode()).isZero();
    assertThat(intact.out())
        .startsWith("audit chain intact: 1 entries checked\n")
        .contains("covers: 1 finished runs, 0 decisions, 0 acknowledgements, 0 access log entries")
        .contains("each finished run's row with its steps and decisions")
        .contains("MACs: not checked (INTENTBOT_AUDIT_KEY is not set)");
    try (Connection c = DriverManager.getConnection(cli.engine.dbUrl());
        Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE runs SET requester = 'U_SOMEONE_ELSE'");
    }
    CliFixture.Result tampered = cli.run("audit", "verify");
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.out())
        .contains("TAMPERED: run ")
        .contains("was changed after it was sealed");
  }

  @Test
  void aMissingConfigFileIsAClearError() {
    CliFixture.Result result =
        cli.run("run", "deploy-app", "--config", dir.resolve("nope.yaml").toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("config file")
        .contains("nope.yaml does not exist: pass --config FILE or set INTENTBOT_CONFIG");
  }

  @Test
  void lockHeldIsRefusedWithExitFour() throws Exception {
    cli.engine.intent(
        "slow",
        """
        name: slow
        lock: one-at-a-time
        steps:
          - id: s
            type: shell
            with: { command: [sleep, "3"] }
        """);
    Thread first = new Thread(() -> cli.run("run", "slow"));
    first.start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> cli.run("history").out().contains("running"));
    CliFixture.Result second = cli.run("run", "slow");
    assertThat(second.exitCode()).isEqualTo(4);
    assertThat(second.err())
        .startsWith(BROKEN_FILES + "refused: another run holds the lock one-at-a-time: r-");
    first.join();
  }
}
