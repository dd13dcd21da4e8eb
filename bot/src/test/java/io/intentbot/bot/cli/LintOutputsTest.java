package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot lint} flags an expression that reads an output its step's type does not declare,
 * at file:line:col, and exits 2; reading any declared step's {@code status} is fine.
 */
class LintOutputsTest {

  @TempDir Path dir;

  @Test
  void anUndeclaredOutputOfAClusterStepIsAProblemAtItsLocation() throws Exception {
    CliFixture cli = new CliFixture(dir);
    Path intents = cli.engine.intentsDir();
    Files.createDirectories(intents);
    Files.writeString(
        intents.resolve("peek.yaml"),
        """
        name: peek
        description: reads the rollout history
        risk: read-only
        parameters:
          app: { type: app, required: true }
          env: { type: environment, required: true }
        steps:
          - id: history
            type: kubernetes.rollout-history
            with: { deployment: "${{ params.app }}" }
          - id: show
            type: set
            with:
              latest: "${{ steps.history.outputs.current_revision }}"
              typo: "${{ steps.history.outputs.revision }}"
        on_failure:
          - id: note
            if: "${{ steps.show.status == 'not_run' }}"
            type: set
            with: { message: "${{ 'history ' + steps.history.status }}" }
        """);

    CliFixture.Result result = cli.run("lint", intents.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(ExitCode.INVALID);
    assertThat(result.out())
        .contains(
            intents.resolve("peek.yaml")
                + ":15:13: expression 'steps.history.outputs.revision': step 'history'"
                + " (kubernetes.rollout-history) has no output 'revision'; it has:"
                + " current_revision, previous_revision, revisions")
        .contains("1 problems");
  }
}
