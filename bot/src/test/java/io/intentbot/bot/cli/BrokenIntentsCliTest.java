package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` says which intent files did not load, each with its place, whatever it is asked to run. */
class BrokenIntentsCliTest {

  @TempDir Path dir;

  @Test
  void runListsEveryBrokenIntentFileOnStderrAtStart() throws Exception {
    CliFixture cli = new CliFixture(dir);
    cli.engine.intent(
        "hello",
        """
        name: hello
        steps:
          - id: greet
            type: shell
            with: { command: [echo, hi] }
        """);
    Files.writeString(
        cli.engine.intentsDir().resolve("broken.yaml"),
        "name: broken\nsteps:\n  - id: one\n    type: no-such-step-type\n");

    CliFixture.Result result = cli.run("run", "hello");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err())
        .containsPattern("invalid intent file: broken\\.yaml:\\d+:\\d+: .*no-such-step-type");
    assertThat(result.out()).contains("hi");

    CliFixture.Result asked = cli.run("run", "broken");
    assertThat(asked.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(asked.err()).contains("invalid intent file: broken.yaml:");
  }
}
