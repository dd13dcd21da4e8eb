package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.audit.WaitingRunStore;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run waiting for approval keeps its {@code secret: true} parameters across restarts and
 * replicas: encrypted at rest with {@code INTENTBOT_SECRET_KEY}, or cancelled once they cannot be
 * had; the step gets the real value, never the mask. Each backend's test gives a fresh database.
 */
abstract class SecretParametersContract {

  static final String SECRET = "s3cr3t-Value-42";
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  static final String OTHER_KEY =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  /** The step compares the value it is given with the real one and says only whether they match. */
  static final String INTENT =
      """
      name: rotate-token
      parameters:
        env: { type: environment, required: true }
        token: { type: string, secret: true, required: true }
      steps:
        - id: use
          type: shell
          with:
            command: [sh, -c, 'if [ "$1" = "$2" ]; then echo same; else echo "different: $1"; fi', sh, "${{ params.token }}", "EXPECTED"]
      """
          .replace("EXPECTED", SECRET);

  @TempDir Path dir;
  protected EngineFixture fixture;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  /** Points the fixture at a fresh, empty database of the backend under test. */
  protected abstract void useDatabase(EngineFixture fixture) throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new EngineFixture(dir).intent("rotate-token", INTENT).clock(clock);
    useDatabase(fixture);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private String request(Engine engine) {
    Submission submission =
        engine.submit(
            RunRequest.of("rotate-token", List.of("env=production", "token=" + SECRET), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    return ((Submission.AwaitingApproval) submission).run().id();
  }

  private static String output(Engine engine, String id) {
    return engine.steps(id).stream().map(StepRecord::outputText).findFirst().orElse("");
  }

  private Optional<WaitingRunStore.StoredSecrets> stored(String id) {
    return fixture.audit().waitingRuns().secrets(id);
  }

  private static void assertCancelledForLostSecrets(Engine engine, String id) {
    RunRecord run = engine.run(id).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason()).isEqualTo("secret parameters are kept in memory only; submit again");
    assertThat(engine.steps(id)).isEmpty();
  }

  @Test
  void withAKeyTheOtherReplicaStartsTheApprovedRunWithTheRealValue() throws Exception {
    fixture.secretKey(KEY);
    Engine first = fixture.start();
    Engine second = fixture.start();
    String id = request(first);
    WaitingRunStore.StoredSecrets atRest = stored(id).orElseThrow();
    assertThat(atRest.sealed()).startsWith("v1:").doesNotContain(SECRET);
    assertThat(first.run(id).orElseThrow().parameters()).containsEntry("token", "***");

    Decision approved = second.approve(id, "U_ALICE");

    assertThat(approved.accepted()).isTrue();
    assertThat(second.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(output(second, id)).containsPattern("(?m)^same$");
    assertThat(stored(id)).as("secrets leave the database once the run starts").isEmpty();
  }

  @Test
  void withAKeyARestartedProcessStartsTheApprovedRun() throws Exception {
    fixture.secretKey(KEY);
    Engine first = fixture.start();
    String id = request(first);
    first.close();

    Engine second = fixture.start();
    assertThat(second.approve(id, "U_ALICE").accepted()).isTrue();
    assertThat(second.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(output(second, id)).containsPattern("(?m)^same$");
  }

  @Test
  void withoutAKeyTheProcessThatPlannedTheRunStillStartsIt() throws Exception {
    Engine engine = fixture.start();
    String id = request(engine);
    assertThat(stored(id)).hasValueSatisfying(s -> assertThat(s.sealed()).isNull());
    assertThat(engine.approve(id, "U_ALICE").accepted()).isTrue();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(output(engine, id)).containsPattern("(?m)^same$");
  }

  @Test
  void withoutAKeyAnApprovalElsewhereCancelsTheRunInsteadOfPassingTheMask() {
    Engine first = fixture.start();
    Engine second = fixture.start();
    String id = request(first);

    Decision decision = second.approve(id, "U_ALICE");

    assertThat(((Decision.Refused) decision).reason())
        .isEqualTo(new Refusal.SecretsUnavailable(id, Refusal.SecretsLoss.MEMORY_ONLY));
    assertCancelledForLostSecrets(second, id);
    assertThat(stored(id)).isEmpty();
  }

  @Test
  void withoutAKeyARestartCancelsTheWaitingRunOnceTheOldProcessIsGone() {
    Engine first = fixture.start();
    String id = request(first);
    first.close();

    Engine second = fixture.start();
    assertThat(second.expireApprovals()).isEmpty();
    assertThat(second.run(id).orElseThrow().status())
        .as("the old process may still be alive: its heartbeat is recent")
        .isEqualTo(RunStatus.WAITING_APPROVAL);
    clock.advance(Duration.ofSeconds(31));
    second.expireApprovals();

    assertCancelledForLostSecrets(second, id);
    assertThat(((Decision.Refused) second.approve(id, "U_ALICE")).reason())
        .isEqualTo(new Refusal.NotWaiting(id, RunStatus.CANCELLED));
  }

  @Test
  void aReplicaWithAnotherKeyCancelsTheRunRatherThanGuess() {
    fixture.secretKey(KEY);
    Engine first = fixture.start();
    fixture.secretKey(OTHER_KEY);
    Engine second = fixture.start();
    String id = request(first);

    Decision decision = second.approve(id, "U_ALICE");

    assertThat(((Decision.Refused) decision).reason())
        .isEqualTo(new Refusal.SecretsUnavailable(id, Refusal.SecretsLoss.UNREADABLE));
    assertThat(second.run(id).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(second.steps(id)).isEmpty();
  }

  @Test
  void theMaskIsNeverTakenForASecretsValue() {
    Engine engine = fixture.start();
    Submission submission =
        engine.submit(
            RunRequest.of("rotate-token", List.of("env=sandbox", "token=***"), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Invalid.class);
    assertThat(((Submission.Invalid) submission).errors())
        .containsExactly(
            "secret parameter 'token' holds the mask ***, not its value; give the value itself");
  }
}
