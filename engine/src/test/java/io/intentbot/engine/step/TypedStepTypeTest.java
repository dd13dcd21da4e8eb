package io.intentbot.engine.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.testing.RecordingStepContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypedStepTypeTest {

  private final GreetStepType greet = new GreetStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();

  private static StepInput input(Object... keysAndValues) {
    Map<String, Object> values = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return StepInput.of(values);
  }

  @Test
  void bindsSnakeCaseFieldsLenientScalarsAndDurations() {
    GreetStepType.Input bound =
        greet.bind(
            input(
                "name",
                "ada",
                "times",
                "3",
                "pause",
                "1m30s",
                "loud",
                "true",
                "greeting_words",
                "hi",
                "mood",
                null));

    assertThat(bound)
        .isEqualTo(
            new GreetStepType.Input("ada", 3, Duration.ofSeconds(90), true, List.of("hi"), null));
  }

  @Test
  void theBaseOwnsNameDescriptionAndTheSchemaResource() {
    assertThat(greet.name()).isEqualTo("greet");
    assertThat(greet.description()).isEqualTo("Say hello to someone");
    assertThat(greet.withSchema().path("required").get(0).asText()).isEqualTo("name");
    assertThat(greet.pure()).isTrue();
  }

  @Test
  void executeGetsTheRecordAndReturnsItsResult() throws Exception {
    StepResult result = greet.execute(input("name", "ada", "times", 2), context);

    assertThat(result.outputs()).containsEntry("greeted", "ada");
    assertThat(context.lines()).containsExactly("hello ada", "hello ada");
  }

  @Test
  void aFieldOfTheWrongTypeNamesFieldValueAndExpectation() throws Exception {
    assertThat(greet.execute(input("name", "ada", "times", "many"), context).reason())
        .isEqualTo("'times' must be a whole number, got 'many'");
    assertThat(greet.execute(input("name", "ada", "loud", "maybe"), context).reason())
        .isEqualTo("'loud' must be true or false, got 'maybe'");
    assertThat(greet.execute(input("name", "ada", "pause", "soon"), context).reason())
        .isEqualTo("'pause' must be a duration such as 30s, 5m or 1h, got 'soon'");
  }

  @Test
  void theRenderedInputIsCheckedAgainstTheSchema() throws Exception {
    assertThat(greet.execute(input("times", 2), context).reason()).isEqualTo("'name' is required");
    assertThat(greet.execute(input("name", "ada", "times", 0), context).reason())
        .isEqualTo("'times' must have a minimum value of 1, got '0'");
    assertThat(greet.execute(input("name", "ada", "mood", "angry"), context).reason())
        .startsWith("'mood' does not have a value in the enumeration")
        .endsWith(", got 'angry'");
    assertThat(greet.execute(input("name", "ada", "nmae", "x"), context).reason())
        .isEqualTo(
            "'nmae' is not a field of greet; it takes: name, times, pause, loud, greeting_words,"
                + " mood");
  }

  @Test
  void theRecordsOwnChecksKeepTheirMessage() throws Exception {
    assertThat(greet.execute(input("name", "nobody"), context).reason())
        .isEqualTo("'name' must be someone");
  }

  @Test
  void planThrowsForAnInvalidInputSoThePlannerRefusesTheRun() {
    assertThatThrownBy(() -> greet.plan(input("name", "ada", "times", "many"), context))
        .isInstanceOf(InvalidStepInputException.class)
        .hasMessage("'times' must be a whole number, got 'many'")
        .satisfies(
            e -> {
              InvalidStepInputException invalid = (InvalidStepInputException) e;
              assertThat(invalid.field()).isEqualTo("times");
              assertThat(invalid.value()).isEqualTo("many");
              assertThat(invalid.expectation()).isEqualTo("must be a whole number");
            });
    assertThat(greet.plan(input("name", "ada"), context).summary())
        .isEqualTo("would greet ada 1 time(s)");
  }

  @Test
  void aDryRunPlaceholderIsNotCheckedAgainstTheSchema() {
    assertThat(greet.plan(input("name", "⟨steps.who.outputs.name⟩"), context).summary())
        .isEqualTo("would greet ⟨steps.who.outputs.name⟩ 1 time(s)");
  }

  @Test
  void anIllegalArgumentFromExecuteFailsTheStep() throws Exception {
    assertThat(greet.execute(input("name", "error"), context).reason()).isEqualTo("no such person");
  }

  @Test
  void anIllegalArgumentAfterAnInterruptIsACancellation() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> greet.execute(input("name", "error"), context))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}
