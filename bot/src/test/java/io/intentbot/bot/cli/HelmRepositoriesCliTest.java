package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong {@code helm.repositories} stops every command at start, saying which entry and why. */
class HelmRepositoriesCliTest {

  @TempDir Path dir;

  @Test
  void aRepositoryHelmWouldRefuseStopsTheBotAtStart() throws Exception {
    CliFixture cli = new CliFixture(dir);
    Files.writeString(
        cli.config,
        """
        apps: [web]
        environments:
          sandbox: { namespace: "{app}-sandbox" }
        helm:
          repositories:
            - { name: team/charts, url: https://charts.example }
        """);
    String problem =
        "helm.repositories[0].name 'team/charts' must be letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit (charts name it before the slash: NAME/chart)";

    for (String[] command : new String[][] {{"list"}, {"lint"}, {"steps"}}) {
      CliFixture.Result result = cli.run(command);
      assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(2);
      assertThat(result.err())
          .as(String.join(" ", command))
          .isEqualTo("intentbot: " + problem + "\n");
      assertThat(result.out()).as(String.join(" ", command)).isEmpty();
    }
  }
}
