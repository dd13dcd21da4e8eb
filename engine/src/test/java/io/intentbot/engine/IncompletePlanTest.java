package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.model.FailedRead;
import io.intentbot.engine.model.Plan;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read that fails while planning makes an incomplete plan, never a conclusion: what depends on it
 * stays open, a dry run says so, and no approval is asked on it.
 */
class IncompletePlanTest {

  @TempDir Path dir;
  private EngineFixture fixture;
  private Engine engine;
  private final AtomicBoolean clusterDown = new AtomicBoolean(true);

  @BeforeEach
  void start() {
    fixture =
        new EngineFixture(dir)
            .recordEvents(true)
            .stepType(new ClusterRead(clusterDown, false))
            .stepType(new ClusterRead(clusterDown, true))
            .library(
                "next",
                """
                name: next
                description: the next version after the deployed one, 0.0.1 for the first
                parameters:
                  deployed: { type: string }
                steps:
                  - id: base
                    type: set
                    with:
                      current: "${{ params.deployed != null && params.deployed.matches('^[0-9.]+$') ? params.deployed : '0.0.0' }}"
                outputs:
                  previous: "${{ steps.base.outputs.current }}"
                """)
            .intent(
                "ship",
                """
                name: ship
                description: reads what is deployed, then computes from it
                risk: mutating
                parameters:
                  env: { type: environment, required: true }
                steps:
                  - id: history
                    type: test.cluster-read
                  - id: latest
                    type: test.cluster-list
                  - id: version
                    uses: lib/next
                    with:
                      deployed: "${{ steps.history.outputs.image }}"
                  - id: first
                    type: set
                    with:
                      seen: "${{ has(steps.latest.outputs.name) ? steps.latest.outputs.name : 'none yet' }}"
                """);
    engine = fixture.start();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aFailedReadMakesTheDryRunIncompleteAndLeavesWhatDependsOnItOpen() {
    Submission submission =
        engine.submit(RunRequest.of("ship", List.of("env=sandbox"), "U_CAROL").asDryRun());

    assertThat(submission).isInstanceOf(Submission.Planned.class);
    Plan plan = ((Submission.Planned) submission).plan();
    assertThat(plan.complete()).isFalse();
    assertThat(plan.failedReads())
        .containsExactly(
            new FailedRead("history", "test.cluster-read", "connection refused: 127.0.0.1:6443"),
            new FailedRead("latest", "test.cluster-list", "connection refused: 127.0.0.1:6443"));
    assertThat(plan.describe())
        .doesNotContain("previous = 0.0.0")
        .doesNotContain("seen = none yet")
        .contains("previous = \u27e8")
        .contains("seen = \u27e8")
        .contains("could not read: connection refused: 127.0.0.1:6443");
    assertThat(((Submission.Planned) submission).run().status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void whenTheReadsWorkThePlanIsCompleteAndShowsWhatTheyRead() {
    clusterDown.set(false);

    Plan plan =
        ((Submission.Planned)
                engine.submit(RunRequest.of("ship", List.of("env=sandbox"), "U_CAROL").asDryRun()))
            .plan();

    assertThat(plan.complete()).isTrue();
    assertThat(plan.describe()).contains("previous = 1.4.2").contains("seen = web-7d9f");
  }

  @Test
  void noApprovalIsAskedOnAnIncompletePlanAndNothingIsRecorded() {
    Submission submission =
        engine.submit(RunRequest.of("ship", List.of("env=production"), "U_CAROL"));

    assertThat(submission).isInstanceOf(Submission.Refused.class);
    Refusal reason = ((Submission.Refused) submission).reason();
    assertThat(reason).isInstanceOf(Refusal.IncompletePlan.class);
    Refusal.IncompletePlan incomplete = (Refusal.IncompletePlan) reason;
    assertThat(incomplete.environment()).isEqualTo("production");
    assertThat(incomplete.failedReads())
        .extracting(FailedRead::step)
        .containsExactly("history", "latest");
    assertThat(engine.history("ship", 5)).as("no run recorded as waiting").isEmpty();
    assertThat(fixture.events()).noneMatch(e -> e instanceof RunEvent.ApprovalRequested);
  }

  @Test
  void aCompletePlanStillWaitsForApproval() {
    clusterDown.set(false);

    assertThat(engine.submit(RunRequest.of("ship", List.of("env=production"), "U_CAROL")))
        .isInstanceOf(Submission.AwaitingApproval.class);
  }

  /**
   * A read-only step that cannot reach its cluster while {@code down}: one fails its description
   * (throws, as a cluster client does), the other its execution (a failed result).
   */
  private static final class ClusterRead implements StepType {
    private final AtomicBoolean down;
    private final boolean list;

    ClusterRead(AtomicBoolean down, boolean list) {
      this.down = down;
      this.list = list;
    }

    @Override
    public String name() {
      return list ? "test.cluster-list" : "test.cluster-read";
    }

    @Override
    public String description() {
      return "reads the cluster";
    }

    @Override
    public JsonNode withSchema() {
      return new ObjectMapper().createObjectNode().put("type", "object");
    }

    @Override
    public boolean pure() {
      return true;
    }

    @Override
    public StepPlan plan(StepInput input, StepContext context) {
      if (down.get() && !list) {
        throw new IllegalStateException("connection refused: 127.0.0.1:6443");
      }
      return StepPlan.of(list ? "list things" : "read the rollout history");
    }

    @Override
    public StepResult execute(StepInput input, StepContext context) {
      if (down.get()) {
        return StepResult.failed("connection refused: 127.0.0.1:6443");
      }
      return StepResult.succeeded(list ? Map.of("name", "web-7d9f") : Map.of("image", "1.4.2"));
    }
  }
}
