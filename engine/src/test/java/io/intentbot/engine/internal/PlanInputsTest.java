package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digests a plan binds, what changed between two sets of them, and the check before a step. */
class PlanInputsTest {

  @TempDir Path intents;
  private Path migrations;

  @BeforeEach
  void files() throws Exception {
    migrations = Files.createDirectories(intents.resolve("migrations/web"));
    Files.writeString(migrations.resolve("V1__a.sql"), "create table a (id int);\n");
  }

  private PlanInputs plan() {
    return new PlanInputs.Builder(intents).read(migrations).build();
  }

  @Test
  void theHashChangesWithAnyInputAndSaysWhich() throws Exception {
    PlanInputs before = plan();
    assertThat(plan().hash()).isEqualTo(before.hash()).hasSize(64);
    Files.writeString(migrations.resolve("V2__b.sql"), "create table b (id int);\n");
    PlanInputs after = plan();
    assertThat(after.hash()).isNotEqualTo(before.hash());
    assertThat(after.changesSince(before.digests()))
        .containsExactly("migrations/web/V2__b.sql added");
    assertThat(before.changesSince(after.digests()))
        .containsExactly("migrations/web/V2__b.sql removed");
  }

  @Test
  void aDatasourcePasswordIsNotPartOfItsDigestButEverythingElseIs() {
    DatasourceConfig one =
        new DatasourceConfig("web-production", "jdbc:h2:mem:a", "sa", "pw1", null);
    DatasourceConfig otherPassword =
        new DatasourceConfig("web-production", "jdbc:h2:mem:a", "sa", "pw2", null);
    DatasourceConfig otherUrl =
        new DatasourceConfig("web-production", "jdbc:h2:mem:b", "sa", "pw1", null);
    Map<String, String> first = new PlanInputs.Builder(intents).datasource(one).build().digests();
    assertThat(new PlanInputs.Builder(intents).datasource(otherPassword).build().digests())
        .isEqualTo(first);
    assertThat(new PlanInputs.Builder(intents).datasource(otherUrl).build().changesSince(first))
        .containsExactly("datasource web-production changed");
  }

  /** Reads the folder {@code with: { folder: … }} names, relative to the intents folder. */
  private static final class Reader implements StepType {
    @Override
    public String name() {
      return "reader";
    }

    @Override
    public String description() {
      return "reads a folder";
    }

    @Override
    public JsonNode withSchema() {
      return null;
    }

    @Override
    public StepPlan plan(StepInput input, StepContext context) {
      return StepPlan.of("would read");
    }

    @Override
    public List<Path> reads(StepInput input, StepContext context) {
      return List.of(context.intentsDir().resolve(String.valueOf(input.values().get("folder"))));
    }

    @Override
    public StepResult execute(StepInput input, StepContext context) {
      return StepResult.succeeded(Map.of());
    }
  }

  private RunState approved(PlanInputs inputs) {
    RunState running = Runs.running("r-1");
    return new RunState(
        running.record().withStatus(RunStatus.RUNNING, null),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        inputs,
        false);
  }

  @Test
  void aFileAddedAfterTheApprovalStopsTheStepThatWouldReadIt() throws Exception {
    RunState state = approved(plan());
    StepContext context =
        new RecordingStepContext(
            new IntentbotConfig(List.of(), Map.of(), Map.of(), Map.of(), Map.of()),
            null,
            null,
            intents);
    StepInput input = StepInput.of(Map.of("folder", "migrations/web"));
    assertThat(StepGuards.filesAsPlanned(state, new Reader(), input, context)).isEmpty();

    Files.writeString(migrations.resolve("V3__drop.sql"), "drop table a;\n");

    assertThat(StepGuards.filesAsPlanned(state, new Reader(), input, context))
        .hasValueSatisfying(
            stop ->
                assertThat(stop.reason())
                    .isEqualTo(
                        "files changed since the plan was approved (migrations/web/V3__drop.sql"
                            + " added); the step did not run: request the run again to see the"
                            + " new plan"));
    assertThat(
            StepGuards.filesAsPlanned(
                state, new Reader(), StepInput.of(Map.of("folder", "elsewhere")), context))
        .as("a folder the plan did not bind (known only once an earlier step ran) is not compared")
        .isEmpty();
  }
}
