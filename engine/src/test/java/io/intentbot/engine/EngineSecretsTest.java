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

  // --- refusals and errors go through the redactor like output

  @Test
  void aPlanTimeRefusalNeverEchoesASecretParameter() {
    fixture =
        new EngineFixture(dir)
            .intent(
                "check-token",
                """
                name: check-token
                parameters:
                  token: { type: string, secret: true, required: true }
                steps:
                  - id: check
                    type: assert
                    with:
                      that: "${{ params.token == 'the-expected-token' }}"
                      message: "token ${{ params.token }} is not the expected one"
                """);
    Engine engine = fixture.start();

    Submission submission =
        engine.submit(RunRequest.of("check-token", List.of("token= wrong-token-123 "), "U_CAROL"));

    assertThat(submission).isInstanceOf(Submission.Invalid.class);
    List<String> errors = ((Submission.Invalid) submission).errors();
    assertThat(errors).singleElement().asString().contains("token *** is not the expected one");
    assertThat(String.valueOf(submission)).doesNotContain("wrong-token-123");
  }

  @Test
  void anInputProblemNeverEchoesTheBotsOwnSecret() {
    fixture =
        new EngineFixture(dir)
            .secrets(SIGNING_SECRET)
            .intent(
                "tag",
                """
                name: tag
                parameters:
                  version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$' }
                steps:
                  - { id: a, type: set, with: { v: "${{ params.version }}" } }
                """);
    Engine engine = fixture.start();

    Submission submission =
        engine.submit(RunRequest.of("tag", List.of("version=" + SIGNING_SECRET), "U_CAROL"));

    assertThat(submission).isInstanceOf(Submission.Invalid.class);
    assertThat(((Submission.Invalid) submission).errors())
        .singleElement()
        .asString()
        .contains("***");
    assertThat(String.valueOf(submission)).doesNotContain(SIGNING_SECRET);
  }

  @Test
  void aLockHeldRefusalNeverShowsASecretInItsKey() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "hold",
                """
                name: hold
                parameters:
                  token: { type: string, secret: true, required: true }
                lock: "vault/${{ params.token }}"
                steps:
                  - { id: wait, type: wait, with: { duration: 30s } }
                """);
    Engine engine = fixture.start();
    Submission first =
        engine.submit(RunRequest.of("hold", List.of("token=lock-secret-42"), "U_CAROL"));
    assertThat(first).isInstanceOf(Submission.Started.class);

    Submission second =
        engine.submit(RunRequest.of("hold", List.of("token=lock-secret-42"), "U_DAVE"));

    assertThat(second).isInstanceOf(Submission.Refused.class);
    assertThat(String.valueOf(second)).contains("vault/***").doesNotContain("lock-secret-42");
    engine.cancel(((Submission.Started) first).run().id(), "U_CAROL");
  }

  @Test
  void aStepErrorCarryingTheBotsSecretIsMaskedInTheRecordAndEvents() throws Exception {
    Path file = dir.resolve("leak.txt");
    Files.writeString(file, SIGNING_SECRET);
    fixture =
        new EngineFixture(dir)
            .secrets(SIGNING_SECRET)
            .intent(
                "fail",
                """
                name: fail
                steps:
                  - id: read
                    type: shell
                    with: { command: [cat, "%s"] }
                  - id: check
                    type: assert
                    with:
                      that: "${{ steps.read.outputs.stdout == 'ok' }}"
                      message: "unexpected: ${{ steps.read.outputs.stdout }}"
                """
                    .formatted(file));
    Engine engine = fixture.start();

    RunRecord run = runToEnd(engine, "fail");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("unexpected: ***").doesNotContain(SIGNING_SECRET);
    assertThat(engine.steps(run.id()).get(1).reason()).doesNotContain(SIGNING_SECRET);
    assertThat(String.valueOf(fixture.events())).doesNotContain(SIGNING_SECRET);
    assertThat(engine.audit().verify().intact()).isTrue();
  }

  @Test
  void aRefusalEchoingTheBotsSecretIsMaskedForTheAdapterAndInTheAccessLog() {
    fixture = new EngineFixture(dir).secrets(SIGNING_SECRET);
    fixture.intent("noop", "name: noop\nsteps:\n  - { id: a, type: set, with: { x: '1' } }\n");
    Engine engine = fixture.start();

    var refusal =
        engine.refuseIdentity(
            new io.intentbot.engine.model.Actor("os:mallory", "cli", null, "mallory", "host-1"),
            SIGNING_SECRET);

    assertThat(String.valueOf(refusal)).contains("***").doesNotContain(SIGNING_SECRET);
    assertThat(engine.refusedAttempts(10))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("***").doesNotContain(SIGNING_SECRET));
  }

  static RunRecord runToEnd(Engine engine, String intent, String... args) throws Exception {
    Submission submission = engine.submit(RunRequest.of(intent, List.of(args), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) submission).run().id();
    return engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();
  }
}
