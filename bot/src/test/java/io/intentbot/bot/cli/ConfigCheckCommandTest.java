package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lint} reports the config's problems; every other command refuses an invalid config. */
class ConfigCheckCommandTest {

  static final String TYPO =
      """
      apps: [web, api]
      environments:
        sandbox: { namespace: "{app}-sandbox", registry: r.example }
        production:
          namespace: "{app}"
          protectd: true
      slack: { comand: /intent }
      """;

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    cli.engine.intent(
        "deploy-app",
        """
        name: deploy-app
        description: Roll out a version
        parameters:
          env: { type: environment, required: true }
        steps:
          - id: rollout
            type: set
            with: { image: "${{ env.registry }}/web" }
        """);
  }

  @Test
  void lintPrintsEveryConfigProblemWithItsLineAndColumnAndExitsTwo() throws Exception {
    Files.writeString(cli.config, TYPO);
    CliFixture.Result lint = cli.run("lint");
    assertThat(lint.exitCode()).isEqualTo(2);
    assertThat(lint.out())
        .contains(
            cli.config
                + ":6:5: unknown key 'environments.production.protectd' (did you mean"
                + " 'protected'?)")
        .contains(cli.config + ":7:10: unknown key 'slack.comand' (did you mean 'command'?)")
        .contains(cli.config + ": 2 problems")
        .endsWith("1 intents, 0 library steps, no problems\n")
        .doesNotContain("registry");
  }

  @Test
  void lintOfAGoodConfigAndIntentsExitsZero() throws Exception {
    Files.writeString(
        cli.config, TYPO.replace("protectd", "protected").replace("comand", "command"));
    CliFixture.Result lint = cli.run("lint");
    assertThat(lint.exitCode()).isZero();
    assertThat(lint.out())
        .isEqualTo(cli.engine.intentsDir() + ": 1 intents, 0 library steps, no problems\n");
  }

  @Test
  void lintChecksEnvironmentKeysAgainstTheFolderItIsGiven() throws Exception {
    Files.writeString(
        cli.config, TYPO.replace("protectd", "protected").replace("comand", "command"));
    Path other = Files.createDirectories(dir.resolve("other"));
    CliFixture.Result lint = cli.run("lint", other.toString());
    assertThat(lint.exitCode()).isEqualTo(2);
    assertThat(lint.out())
        .contains(
            cli.config
                + ":3:42: unknown key 'environments.sandbox.registry'; expected one of approval,")
        .contains("(no intent in the intents folder '" + other + "' reads env.registry)");
  }

  @Test
  void everyCommandRefusesToStartOnAnInvalidConfig() throws Exception {
    Files.writeString(cli.config, TYPO);
    String first =
        cli.config
            + ":6:5: unknown key 'environments.production.protectd' (did you mean 'protected'?)";
    for (String[] command :
        new String[][] {
          {"run", "deploy-app", "env=production"},
          {"history"},
          {"list"},
          {"show", "r-00000000"},
          {"audit", "verify"},
          {"steps"},
          {"approve", "r-00000000", "--as", "U_ALICE"},
          {"serve"}
        }) {
      CliFixture.Result result = cli.run(command);
      assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(2);
      // serve and socket name themselves, as in all their start-up failures
      String prefix = command[0].equals("serve") ? "intentbot serve: " : "intentbot: ";
      assertThat(result.err()).as(String.join(" ", command)).startsWith(prefix + first);
      assertThat(result.err()).contains(cli.config + ":7:10: unknown key 'slack.comand'");
      assertThat(result.out()).as(String.join(" ", command)).isEmpty();
    }
  }
}
