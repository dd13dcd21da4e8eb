package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetStepTypeTest {

  private final SetStepType set = new SetStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();

  @Test
  void everyEntryBecomesAnOutput() throws Exception {
    Map<String, Object> with = new LinkedHashMap<>();
    with.put("version", "1.4.2");
    with.put("replicas", 3);
    with.put("hosts", List.of("a", "b"));

    StepResult result = set.execute(StepInput.of(with), context);

    assertThat(result.success()).isTrue();
    assertThat(result.outputs()).containsExactlyEntriesOf(with);
    assertThat(context.lines())
        .containsExactly("version = 1.4.2", "replicas = 3", "hosts = [a, b]");
  }

  @Test
  void isPureSoTheDryRunCanEvaluateIt() {
    assertThat(set.pure()).isTrue();
  }

  @Test
  void planShowsTheValues() {
    StepPlan plan = set.plan(StepInput.of(Map.of("image", "web:1.4.2")), context);

    assertThat(plan.summary()).isEqualTo("would set image");
    assertThat(plan.details()).containsExactly("image = web:1.4.2");
  }
}
