package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run left waiting by an earlier intentbot, whose plan hash was computed in an older format, is
 * cancelled on its approval as a typed {@link Refusal.PlanFormatChanged} ("submit again"), not as a
 * plan that changed without saying what. (A real change still says what changed: {@code
 * EngineApprovalTest.anApprovalBindsToThePlanHash}.)
 */
class PlanFormatChangeTest {

  @TempDir Path dir;
  private EngineFixture fixture;

  @BeforeEach
  void setUp() {
    fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                steps:
                  - id: rollout
                    type: set
                    with: { app: "${{ params.app }}" }
                """);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aRunHashedInTheOldFormatIsCancelledAsAFormatChangeWithEveryInputUnchanged()
      throws Exception {
    String id = waitingRunLeftByAnEarlierVersion(false);
    Engine upgraded = fixture.start();
    assertFormatChange(upgraded, id);
  }

  @Test
  void aRunRecordedBeforePlanInputsWereKeptIsCancelledAsAFormatChange() throws Exception {
    String id = waitingRunLeftByAnEarlierVersion(true);
    Engine upgraded = fixture.start();
    assertFormatChange(upgraded, id);
  }

  private static void assertFormatChange(Engine engine, String id) {
    Decision decision = engine.approve(id, "U_ALICE");
    assertThat(((Decision.Refused) decision).reason()).isEqualTo(new Refusal.PlanFormatChanged(id));
    RunRecord run = engine.run(id).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason())
        .isEqualTo(
            "the plan format changed with this version of intentbot, so the plan that was shown"
                + " cannot be checked; run "
                + id
                + " will not start: submit it again");
    assertThat(engine.steps(id)).isEmpty();
  }

  private static String request(Engine engine) {
    Submission submission =
        engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=production"), "U_CAROL"));
    return ((Submission.AwaitingApproval) submission).run().id();
  }

  /**
   * A run waiting for approval as an earlier version recorded it: its hash in that version's format
   * (here: any other digest), and, before plan inputs were kept, no inputs either.
   */
  private String waitingRunLeftByAnEarlierVersion(boolean withoutInputs) throws Exception {
    Engine earlier = fixture.start();
    String id = request(earlier);
    earlier.close();
    try (Connection db = DriverManager.getConnection(fixture.dbUrl(), "sa", "")) {
      try (PreparedStatement update =
          db.prepareStatement("UPDATE runs SET plan_hash = ? WHERE id = ?")) {
        update.setString(1, "0".repeat(64));
        update.setString(2, id);
        assertThat(update.executeUpdate()).isEqualTo(1);
      }
      if (withoutInputs) {
        try (PreparedStatement delete =
            db.prepareStatement("DELETE FROM plan_inputs WHERE run_id = ?")) {
          delete.setString(1, id);
          assertThat(delete.executeUpdate()).isPositive();
        }
      }
    }
    return id;
  }
}
