package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets the engine is built with ({@link Engine.Builder#secrets}: Slack's tokens and signing
 * secret, the audit database's password) are masked in every run, however a step came by them.
 */
class EngineSecretsTest {

  static final String SIGNING_SECRET = "8f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f";
  static final String DB_PASSWORD = "audit-db-pw-Zq81";

  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aShellStepThatReadsTheSigningSecretFromAFileNeverShowsIt() throws Exception {
    Path file = dir.resolve("leak.txt");
    Files.writeString(file, SIGNING_SECRET + "\n" + DB_PASSWORD + "\n");
    fixture =
        new EngineFixture(dir)
            .secrets(SIGNING_SECRET, DB_PASSWORD, null, " ")
            .intent(
                "leak",
                """
                name: leak
                steps:
                  - id: read
                    type: shell
                    with: { command: [sh, -c, 'cat "$1"; base64 "$1"; od -An -tx1 "$1" | tr -d " \\n"; echo', sh, "%s"] }
                outputs:
                  echoed: "${{ steps.read.outputs.stdout }}"
                """
                    .formatted(file));
    Engine engine = fixture.start();

    RunRecord run = runToEnd(engine, "leak");

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    StepRecord step = engine.steps(run.id()).get(0);
    String base64 =
        Base64.getEncoder().encodeToString(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8));
    List<String> shown =
        List.of(
            step.outputText(),
            String.valueOf(step.outputs()),
            String.valueOf(run.outputs()),
            String.join(
                "\n",
                fixture.events(RunEvent.OutputLine.class, run.id()).stream()
                    .map(RunEvent.OutputLine::line)
                    .toList()));
    for (String text : shown) {
      assertThat(text)
          .contains("***")
          .doesNotContain(SIGNING_SECRET)
          .doesNotContain(DB_PASSWORD)
          .doesNotContain(base64.substring(4, 36))
          .doesNotContain(
              HexFormat.of().formatHex(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static RunRecord runToEnd(Engine engine, String intent, String... args) throws Exception {
    Submission submission = engine.submit(RunRequest.of(intent, List.of(args), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) submission).run().id();
    return engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();
  }
}
