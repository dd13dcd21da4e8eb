package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot's own secrets reach every run's redactor, from the CLI's bootstrap. */
class BotSecretsTest {

  private static final String SIGNING_SECRET = "0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a";
  private static final String APP_TOKEN = "app-level-token-Qw3rty-99";

  @TempDir Path dir;

  @Test
  void slackCredentialsTheAuditPasswordAndKeysAreTheSecrets() {
    Map<String, String> env =
        Map.of(
            "SLACK_BOT_TOKEN", "xoxb-1-2-3",
            "SLACK_SIGNING_SECRET", SIGNING_SECRET,
            "SLACK_APP_TOKEN", " ",
            "INTENTBOT_DB_PASSWORD", "db-pw-1",
            "INTENTBOT_DB_URL", "jdbc:postgresql://db/audit?user=bot&password=in-url-pw",
            "INTENTBOT_AUDIT_KEY", "k".repeat(32),
            "INTENTBOT_PORT", "3000",
            "PATH", "/usr/bin");

    assertThat(BotSecrets.of(env))
        .containsExactlyInAnyOrder(
            "xoxb-1-2-3", SIGNING_SECRET, "db-pw-1", "in-url-pw", "k".repeat(32));
  }

  @Test
  void aShellStepThatReadsTheSigningSecretFromAFileNeverShowsIt() throws Exception {
    Path file = dir.resolve("creds.txt");
    Files.writeString(file, SIGNING_SECRET + " " + APP_TOKEN + "\n");
    CliFixture cli = new CliFixture(dir);
    cli.engine.intent(
        "leak",
        """
        name: leak
        steps:
          - id: read
            type: shell
            with: { command: [cat, "%s"] }
        """
            .formatted(file));
    Map<String, String> slack =
        Map.of("SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_APP_TOKEN", APP_TOKEN);

    CliFixture.Result run = cli.runWith(slack, "run", "leak");
    CliFixture.Result history = cli.run("history");
    String runId = history.out().lines().filter(l -> l.contains("leak")).findFirst().orElseThrow();
    runId = runId.strip().split("\\s+")[0];
    CliFixture.Result show = cli.run("show", runId);

    assertThat(run.exitCode()).as(run.err()).isZero();
    for (String text : new String[] {run.out(), run.err(), show.out()}) {
      assertThat(text).doesNotContain(SIGNING_SECRET).doesNotContain(APP_TOKEN);
    }
    assertThat(show.out()).contains("*** ***");
  }
}
