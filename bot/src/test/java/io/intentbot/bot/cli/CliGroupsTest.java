package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access rules that name Slack groups, from the command line: with a bot token the CLI asks Slack's
 * {@code usergroups.users.list} (the fake answers {@code U0GROUP} for every group), as {@code
 * serve} does; without one it fails closed and says that groups cannot be checked here and who may.
 */
class CliGroupsTest {

  static final String CONFIG =
      EngineFixture.DEFAULT_CONFIG.replace(
              "expires_after: 30m", "expires_after: 30m, from: [slack, cli]")
          + """
          access:
            - intents: ["*"]
              environments: [sandbox]
              users: ["*"]
            - intents: [deploy-app]
              environments: [production]
              groups: [S_DEPLOYERS]
            - intents: [deploy-app]
              environments: [sandbox, production]
              users: [U_ALICE]
              groups: [S_SRE]
          identities: { dave: U0GROUP, carol: U_CAROL, alice: U_ALICE }
          """;

  @TempDir Path dir;
  CliFixture cli;
  FakeSlack slack;

  @BeforeEach
  void setUp() throws Exception {
    slack = new FakeSlack();
    cli = new CliFixture(dir, CONFIG);
    cli.engine.intent(
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
        """);
  }

  @AfterEach
  void tearDown() {
    slack.close();
  }

  @Test
  void withoutABotTokenAGroupRuleRefusesAndSaysGroupsCannotBeCheckedHere() {
    CliFixture.Result dave = cli.runAs("dave", "run", "deploy-app", "app=web", "env=production");
    assertThat(dave.exitCode()).isEqualTo(4);
    assertThat(dave.err())
        .isEqualTo(
            "refused: deploy-app in production: only members of S_DEPLOYERS (access[2]);"
                + " membership of S_DEPLOYERS or S_SRE cannot be checked here (no Slack bot"
                + " token: set SLACK_BOT_TOKEN, or use Slack), so only one of U_ALICE may run it"
                + " here\n");
    assertThat(slack.calls("/api/usergroups.users.list")).isEmpty();
  }

  @Test
  void withoutABotTokenAGroupApproverIsToldGroupsCannotBeCheckedHereNotJustNotAnApprover() {
    CliFixture.Result alice = cli.runAs("alice", "run", "deploy-app", "app=web", "env=production");
    assertThat(alice.exitCode()).as(alice.err()).isEqualTo(3);
    String run = alice.out().strip();

    CliFixture.Result dave = cli.runAs("dave", "approve", run);

    assertThat(dave.exitCode()).as(dave.err()).isEqualTo(4);
    assertThat(dave.err())
        .contains("you may not approve runs in production")
        .contains(
            "membership of S_SRE cannot be checked here (no Slack bot token: set"
                + " SLACK_BOT_TOKEN, or decide in Slack)");
    CliFixture.Result bob = cli.runAs("carol", "reject", run);
    assertThat(bob.err()).contains("membership of S_SRE cannot be checked here");
  }

  @Test
  void withABotTokenTheCommandLineAsksSlackWhoIsInTheGroup() {
    Map<String, String> token =
        Map.of("SLACK_BOT_TOKEN", "xoxb-test-token-0123456789", "SLACK_API_URL", slack.apiUrl());
    CliFixture.Result dave =
        cli.runWith(
            Map.of(
                "USER",
                "dave",
                "SLACK_BOT_TOKEN",
                token.get("SLACK_BOT_TOKEN"),
                "SLACK_API_URL",
                slack.apiUrl()),
            "run",
            "deploy-app",
            "app=web",
            "env=production");
    assertThat(dave.exitCode()).as(dave.err()).isEqualTo(3);
    assertThat(dave.err()).contains("waits for approval");
    assertThat(slack.calls("/api/usergroups.users.list")).isNotEmpty();

    CliFixture.Result carol = cli.runWith(token, "run", "deploy-app", "app=web", "env=production");
    assertThat(carol.exitCode()).isEqualTo(4);
    assertThat(carol.err())
        .as("where groups resolve, the refusal says nothing about them")
        .isEqualTo("refused: deploy-app in production: only members of S_DEPLOYERS (access[2])\n");
  }
}
