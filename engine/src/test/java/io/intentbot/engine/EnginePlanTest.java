package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.model.RunRequest;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the planner executes while it plans: read-only steps, until the plan is known invalid. */
class EnginePlanTest {

  @TempDir Path dir;
  private EngineFixture fixture;
  private Engine engine;
  private final AtomicInteger reads = new AtomicInteger();

  @BeforeEach
  void start() {
    fixture =
        new EngineFixture(dir)
            .stepType(new CountingRead(reads))
            .intent(
                "inspect",
                """
                name: inspect
                description: reads after a check
                risk: mutating
                parameters:
                  ok: { type: boolean, required: true }
                steps:
                  - id: check
                    type: assert
                    with:
                      that: "${{ params.ok }}"
                      message: "not ok; nothing was changed"
                  - id: look
                    type: test.read
                  - id: show
                    type: set
                    with: { seen: "${{ steps.look.outputs.count }}" }
                """);
    engine = fixture.start();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void readOnlyStepsRunWhilePlanningAndTheirOutputsReachThePlan() {
    Submission submission =
        engine.submit(RunRequest.of("inspect", List.of("ok=true"), "U_CAROL").asDryRun());

    assertThat(submission).isInstanceOf(Submission.Planned.class);
    assertThat(reads).hasValue(1);
    assertThat(((Submission.Planned) submission).plan().describe())
        .contains("count = 1")
        .contains("seen = 1");
  }

  @Test
  void afterAFailedCheckNothingMoreIsReadAndTheRunIsRefused() {
    Submission submission = engine.submit(RunRequest.of("inspect", List.of("ok=false"), "U_CAROL"));

    assertThat(submission).isInstanceOf(Submission.Invalid.class);
    assertThat(((Submission.Invalid) submission).errors())
        .anyMatch(e -> e.contains("not ok; nothing was changed"));
    assertThat(reads).as("the read after the failed check").hasValue(0);
    assertThat(engine.history("inspect", 5)).isEmpty();
  }

  /** A read-only step type that counts how often it is executed. */
  private static final class CountingRead implements StepType {
    private final AtomicInteger count;

    CountingRead(AtomicInteger count) {
      this.count = count;
    }

    @Override
    public String name() {
      return "test.read";
    }

    @Override
    public String description() {
      return "counts its executions";
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
      return StepPlan.of("read something");
    }

    @Override
    public StepResult execute(StepInput input, StepContext context) {
      return StepResult.succeeded(Map.of("count", count.incrementAndGet()));
    }
  }
}
