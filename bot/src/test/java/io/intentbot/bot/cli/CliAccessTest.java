package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's attacks from the command line: access rules (exit 4, naming the rule), a datasource of
 * production behind a run in sandbox (exit 3 or 4), {@code --as} for untrusted OS users (exit 4),
 * approvals from the CLI where {@code approval.from} is Slack only, and {@code history --refused}.
 */
class CliAccessTest {

  static final String CONFIG =
      EngineFixture.DEFAULT_CONFIG
          + """
          datasources:
            web-sandbox: { url: "jdbc:h2:mem:cli-ws", environment: sandbox }
            web-production: { url: "jdbc:h2:mem:cli-wp", environment: production }
          access:
            - intents: ["*"]
              environments: [sandbox]
              users: ["*"]
            - intents: ["*"]
              environments: [sandbox, production]
              users: [U_ALICE]
          identities: { carol: U_CAROL, alice: U_ALICE, bob: U_BOB }
          trusted_os_users: [ci]
          """;

  @TempDir Path dir;
  CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir, CONFIG);
    cli.engine
        .intent(
            "deploy-app",
            """
            name: deploy-app
            parameters:
              app: { type: app, required: true }
              env: { type: environment, required: true }
            steps:
              - id: rollout
                type: shell
                with: { command: [echo, "rolling out ${{ params.app }}"] }
            """)
        .intent(
            "seed-db",
            """
            name: seed-db
            parameters:
              env: { type: environment, default: sandbox }
              datasource: { type: string, required: true }
            steps:
              - id: seed
                type: sql
                with: { datasource: "${{ params.datasource }}", statement: "CREATE TABLE IF NOT EXISTS seeded (id INT)" }
            """);
  }

  @Test
  void aRunOutsideTheRulesExitsFourAndNamesTheRule() {
    CliFixture.Result carol = cli.run("run", "deploy-app", "app=web", "env=production");
    assertThat(carol.exitCode()).isEqualTo(4);
    assertThat(carol.err())
        .isEqualTo("refused: deploy-app in production: only one of U_ALICE (access[2])\n");
    assertThat(cli.run("run", "deploy-app", "app=web", "env=sandbox").exitCode()).isZero();
    CliFixture.Result history = cli.run("history");
    assertThat(history.out()).doesNotContain("production");
  }

  @Test
  void aSandboxRunOnTheProductionDatabaseIsGatedByProduction() {
    CliFixture.Result carol = cli.run("run", "seed-db", "env=sandbox", "datasource=web-production");
    assertThat(carol.exitCode()).isEqualTo(4);
    assertThat(carol.err()).contains("seed-db in sandbox and production: only one of U_ALICE");
    CliFixture.Result alice =
        cli.runAs("alice", "run", "seed-db", "env=sandbox", "datasource=web-production");
    assertThat(alice.exitCode()).as(alice.err()).isEqualTo(3);
    assertThat(alice.err()).contains("waits for approval");
    String id = alice.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(cli.run("show", id).out())
        .contains("approval   as production (the strictest environment it touches)");
  }

  @Test
  void theCommandLineMayNotApproveWhereApprovalsComeFromSlackOnly() {
    CliFixture.Result waiting =
        cli.runAs("alice", "run", "deploy-app", "app=web", "env=production");
    assertThat(waiting.exitCode()).isEqualTo(3);
    String id = waiting.out().lines().reduce((a, b) -> b).orElseThrow();
    CliFixture.Result bob = cli.runAs("bob", "approve", id);
    assertThat(bob.exitCode()).isEqualTo(4);
    assertThat(bob.err())
        .contains(
            "approvals of runs in production come from slack only, not from the command line"
                + " (environments.production.approval.from)");
    assertThat(cli.run("show", id).out()).contains("status     waiting_approval");
  }

  @Test
  void asIsForTrustedOsUsersAndTheAuditKeepsBoth() {
    CliFixture.Result carol =
        cli.run("run", "deploy-app", "app=web", "env=sandbox", "--as", "U_ALICE");
    assertThat(carol.exitCode()).isEqualTo(4);
    assertThat(carol.err())
        .contains(
            "operating-system user carol may not act as U_ALICE: only users listed in"
                + " trusted_os_users may use --as; you act as U_CAROL");
    CliFixture.Result pipeline =
        cli.runAs("ci", "run", "deploy-app", "app=web", "env=production", "--as", "U_ALICE");
    assertThat(pipeline.exitCode()).as(pipeline.err()).isEqualTo(3);
    String id = pipeline.out().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(cli.run("show", id).out())
        .contains("requester  U_ALICE")
        .contains("from       cli, os user ci@test-host");
    CliFixture.Result unmapped =
        cli.runAs("mallory", "run", "deploy-app", "app=web", "env=sandbox");
    assertThat(unmapped.exitCode()).isZero();
    assertThat(cli.run("history").out()).contains("os:mallory");

    CliFixture.Result refused = cli.run("history", "--refused");
    assertThat(refused.exitCode()).isZero();
    assertThat(refused.out())
        .contains("U_CAROL")
        .contains("act-as")
        .contains("trusted_os_users")
        .contains("cli carol@test-host");
  }
}
