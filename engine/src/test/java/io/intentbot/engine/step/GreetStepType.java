package io.intentbot.engine.step;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The step type of {@link TypedStepType}'s Javadoc, with a few more field kinds to bind. */
final class GreetStepType extends TypedStepType<GreetStepType.Input> {

  static final String NAME = "greet";

  record Input(
      String name,
      Integer times,
      Duration pause,
      boolean loud,
      List<String> greetingWords,
      String mood) {
    Input {
      times = times == null ? 1 : times;
      greetingWords = greetingWords == null ? List.of("hello") : List.copyOf(greetingWords);
      if ("nobody".equals(name)) {
        throw new IllegalArgumentException("'name' must be someone");
      }
    }
  }

  GreetStepType() {
    super(NAME, "Say hello to someone", Input.class, Purity.PURE);
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    return StepPlan.of("would greet " + input.name() + " " + input.times() + " time(s)");
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    if (input.name().equals("error")) {
      throw new IllegalArgumentException("no such person");
    }
    String words = String.join(" ", input.greetingWords());
    for (int i = 0; i < input.times(); i++) {
      context.output().line((input.loud() ? words.toUpperCase() : words) + " " + input.name());
    }
    return StepResult.succeeded(Map.of("greeted", input.name()));
  }
}
