package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every declared step is addressable: {@code steps.X} exists with {@code status} and empty outputs
 * before it runs, so {@code on_failure} can test a step the run never reached.
 */
class StepStatusTest {

  private static final String INTENT =
      """
      name: roll
      description: fails before its rollout; on_failure looks at what ran
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: prepare
          type: shell
          with: { command: ["false"] }
        - id: rollout
          type: set
          with: { changed: true }
      on_failure:
        - id: undo
          if: "${{ has(steps.rollout.outputs.changed) && steps.rollout.outputs.changed == true }}"
          type: set
          with: { undone: true }
        - id: report
          if: "${{ steps.rollout.status == 'not_run' }}"
          type: set
          with:
            message: "${{ 'prepare ' + steps.prepare.status + ', rollout ' + steps.rollout.status + ', undo ' + steps.undo.status }}"
      """;

  @TempDir Path dir;
  private EngineFixture fixture;
  private Engine engine;

  @BeforeEach
  void start() {
    fixture = new EngineFixture(dir).intent("roll", INTENT);
    engine = fixture.start();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void onFailureTestsAStepTheRunNeverReached() throws Exception {
    Submission submission = engine.submit(RunRequest.of("roll", List.of("env=sandbox"), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Started.class);
    RunRecord run =
        engine
            .awaitFinished(((Submission.Started) submission).run().id(), Duration.ofSeconds(20))
            .orElseThrow();

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    List<StepRecord> steps = engine.steps(run.id());
    StepRecord undo = step(steps, "undo");
    StepRecord report = step(steps, "report");
    assertThat(undo.status()).as(undo.reason()).isEqualTo(StepStatus.SKIPPED);
    assertThat(report.status()).as(report.reason()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(report.outputs())
        .containsEntry("message", "prepare failed, rollout not_run, undo skipped");
  }

  @Test
  void thePlanLeavesOpenWhatDependsOnAStepThatDoesNotRunWhilePlanning() {
    Plan plan =
        ((Submission.Planned)
                engine.submit(RunRequest.of("roll", List.of("env=sandbox"), "U_CAROL").asDryRun()))
            .plan();

    assertThat(plan.complete()).isTrue();
    assertThat(plan.describe())
        .doesNotContain("skipped: if ${{ steps.rollout.status")
        .contains("report: would set message  (if ${{ steps.rollout.status == 'not_run' }})");
  }

  private static StepRecord step(List<StepRecord> steps, String id) {
    return steps.stream().filter(s -> s.stepId().equals(id)).findFirst().orElseThrow();
  }
}
