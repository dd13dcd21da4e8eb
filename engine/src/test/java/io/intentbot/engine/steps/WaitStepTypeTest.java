package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitStepTypeTest {

  private final WaitStepType wait = new WaitStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();

  @Test
  void waitsForTheDurationAndWritesOneLine() throws Exception {
    long start = System.nanoTime();

    StepResult result =
        wait.execute(
            StepInput.of(Map.of("duration", "150ms", "message", "letting pods settle")), context);

    assertThat(result.success()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(context.lines()).containsExactly("letting pods settle (waiting 150ms)");
  }

  @Test
  void interruptionEndsTheWaitAtOnce() {
    BackgroundStep step =
        BackgroundStep.start(wait, StepInput.of(Map.of("duration", "5m")), context);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> context.lines().equals(java.util.List.of("waiting 5m")));

    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(2));

    assertThat(result.reason()).isEqualTo("cancelled: the wait was interrupted");
    assertThat(step.interruptFlagKept()).isTrue();
  }

  @Test
  void aBadDurationIsAClearFailure() throws Exception {
    assertThat(wait.execute(StepInput.of(Map.of("duration", "soon")), context).reason())
        .isEqualTo("'duration' must be a duration such as 30s, 5m or 1h, got 'soon'");
  }

  @Test
  void planSaysHowLong() {
    assertThat(wait.plan(StepInput.of(Map.of("duration", "90s")), context).summary())
        .isEqualTo("would wait 1m30s");
  }
}
