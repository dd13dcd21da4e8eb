package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the audit store holds while a step runs, for each kind of step (the rule in {@code
 * StepJournal}): a step that may change something or take time is committed as running before it
 * executes, on a step thread; an instant one is written once, when it ends, and runs on the run's
 * own thread.
 */
class EngineStepRecordTest {

  @TempDir Path dir;
  private EngineFixture fixture;
  private AuditStore reader;

  @AfterEach
  void close() {
    if (reader != null) {
      reader.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void anInstantStepIsWrittenOnceAtItsEndAndABlockingOneAsRunningFirst() throws Exception {
    Peek instant = new Peek("test.peek-instant", true);
    Peek blocking = new Peek("test.peek-blocking", false);
    fixture =
        new EngineFixture(dir)
            .stepType(instant)
            .stepType(blocking)
            .intent(
                "peek",
                """
                name: peek
                description: Looks at the audit store from inside its steps
                risk: read-only
                steps:
                  - id: first
                    type: set
                    with: { x: "1" }
                  - id: quick
                    type: test.peek-instant
                  - id: slow
                    type: test.peek-blocking
                """);
    Engine engine = fixture.start();
    reader = AuditStores.open(fixture.dbUrl(), "sa", "");
    instant.store = reader;
    blocking.store = reader;

    Submission submission = engine.submit(RunRequest.of("peek", List.of(), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) submission).run().id();
    RunRecord run = engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(instant.storedWhileRunning).isEqualTo("first:succeeded");
    assertThat(instant.thread).startsWith("intentbot-run");
    assertThat(blocking.storedWhileRunning)
        .isEqualTo("first:succeeded quick:succeeded slow:running");
    assertThat(blocking.thread).startsWith("intentbot-step");
    assertThat(reader.steps(id))
        .extracting(s -> s.stepId() + ":" + s.status().label())
        .containsExactly("first:succeeded", "quick:succeeded", "slow:succeeded");
  }

  @Test
  void anInstantStepsOutputReachesTheListenersOnTheRunsOwnThread() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "say",
                """
                name: say
                description: One set step, which prints what it sets
                risk: read-only
                steps:
                  - id: first
                    type: set
                    with: { x: "1" }
                """);
    Engine engine = fixture.build();
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    engine.addListener(
        event -> {
          if (event instanceof RunEvent.OutputLine line) {
            threads.add(line.line() + " on " + Thread.currentThread().getName());
          }
        });
    fixture.started();

    Submission submission = engine.submit(RunRequest.of("say", List.of(), "U_CAROL"));
    String id = ((Submission.Started) submission).run().id();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);

    // No hand-off to the event bus's thread and back for every line of a step that only computes.
    assertThat(threads).singleElement().asString().startsWith("x = 1 on intentbot-run");
  }

  /** Notes, as it executes, the steps its run has in the audit store and its thread's name. */
  private static final class Peek implements StepType {
    private final String name;
    private final boolean instant;
    volatile AuditStore store;
    volatile String storedWhileRunning;
    volatile String thread;

    Peek(String name, boolean instant) {
      this.name = name;
      this.instant = instant;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return "looks at the audit store";
    }

    @Override
    public JsonNode withSchema() {
      return new ObjectMapper().createObjectNode().put("type", "object");
    }

    @Override
    public boolean pure() {
      return instant;
    }

    @Override
    public boolean instant() {
      return instant;
    }

    @Override
    public StepPlan plan(StepInput input, StepContext context) {
      return StepPlan.of("look");
    }

    @Override
    public StepResult execute(StepInput input, StepContext context) {
      List<StepRecord> steps = store.steps(context.runId());
      storedWhileRunning =
          steps.stream()
              .map(s -> s.stepId() + ":" + s.status().label())
              .collect(Collectors.joining(" "));
      thread = Thread.currentThread().getName();
      return StepResult.succeeded(Map.of());
    }
  }
}
