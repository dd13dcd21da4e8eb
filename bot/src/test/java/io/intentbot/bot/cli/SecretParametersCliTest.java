package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot run} and {@code intentbot approve} are two processes' worth of engine: a secret
 * parameter crosses from one to the other only encrypted with {@code INTENTBOT_SECRET_KEY}, and
 * without it the approval cancels the run instead of passing the mask {@code ***} to the step.
 */
class SecretParametersCliTest {

  static final String SECRET = "s3cr3t-Value-42";

  @TempDir Path dir;
  CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    cli.engine.intent(
        "rotate-token",
        """
        name: rotate-token
        parameters:
          env: { type: environment, required: true }
          token: { type: string, secret: true, required: true }
        steps:
          - id: use
            type: shell
            with:
              command: [sh, -c, 'if [ "$1" = "$2" ]; then echo same; else echo different; fi', sh, "${{ params.token }}", "EXPECTED"]
        """
            .replace("EXPECTED", SECRET));
  }

  private String waitingRun() {
    CliFixture.Result waiting = cli.run("run", "rotate-token", "env=production", "token=" + SECRET);
    assertThat(waiting.exitCode()).as(waiting.err()).isEqualTo(3);
    return waiting.out().lines().reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void withTheKeyTheApprovingProcessRunsTheStepWithTheRealValue() {
    cli.moreEnv.put("INTENTBOT_SECRET_KEY", Base64.getEncoder().encodeToString(new byte[32]));
    String id = waitingRun();
    CliFixture.Result approved = cli.runAs("alice", "approve", id);
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    assertThat(approved.out()).containsPattern("(?m)\\bsame$").doesNotContain(SECRET);
  }

  @Test
  void withoutTheKeyTheApprovalCancelsTheRunAndSaysWhy() {
    String id = waitingRun();
    CliFixture.Result approved = cli.runAs("alice", "approve", id);
    assertThat(approved.exitCode()).isEqualTo(4);
    assertThat(approved.err())
        .contains(
            "run " + id + " is cancelled: secret parameters are kept in memory only; submit again");
    assertThat(cli.run("show", id).out()).contains("cancelled").doesNotContain("same");
  }

  @Test
  void aMalformedKeyStopsTheCommandBeforeAnythingRuns() {
    cli.moreEnv.put("INTENTBOT_SECRET_KEY", "not-a-key");
    CliFixture.Result result = cli.run("run", "rotate-token", "env=sandbox", "token=x1234");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains("INTENTBOT_SECRET_KEY must be 16, 24 or 32 random bytes in base64");
  }
}
