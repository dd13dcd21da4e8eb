package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssertStepTypeTest {

  private final AssertStepType step = new AssertStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();

  @Test
  void aHoldingConditionSucceeds() throws Exception {
    StepResult result =
        step.execute(StepInput.of(Map.of("that", true, "message", "never shown")), context);

    assertThat(result.success()).isTrue();
    assertThat(result.outputs()).containsEntry("held", true);
  }

  @Test
  void aFalseConditionFailsWithTheMessage() throws Exception {
    StepResult result =
        step.execute(
            StepInput.of(Map.of("that", "false", "message", "version 9.9.9 never ran")), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("version 9.9.9 never ran");
  }

  @Test
  void aConditionKnownToBeFalseBeforeTheRunIsRejectedByThePlan() {
    assertThat(step.pure()).isTrue();
    assertThatThrownBy(
            () -> step.plan(StepInput.of(Map.of("that", false, "message", "no backup")), context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no backup");
    assertThat(
            step.plan(StepInput.of(Map.of("that", true, "message", "no backup")), context)
                .summary())
        .startsWith("check passed");
  }

  @Test
  void aConditionNotKnownYetIsDescribed() {
    assertThat(
            step.plan(
                    StepInput.of(
                        Map.of("that", "\u27e8steps.x.outputs.ok\u27e9", "message", "x failed")),
                    context)
                .summary())
        .isEqualTo("would stop the run if the check fails: x failed");
  }

  @Test
  void aConditionThatIsNotABooleanFails() throws Exception {
    StepResult result =
        step.execute(StepInput.of(Map.of("that", "maybe", "message", "m")), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).contains("'that' must be true or false");
  }
}
