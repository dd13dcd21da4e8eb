package io.intentbot.engine.step;

import java.util.List;

/**
 * What a step would do: a one-line summary plus optional detail lines (a diff, a list of pending
 * migrations). Part of the {@code Plan} whose hash an approval binds to, so it must be
 * deterministic for the same input and the same state of the world.
 */
public record StepPlan(String summary, List<String> details) {

  public StepPlan {
    if (summary == null || summary.isBlank()) {
      throw new IllegalArgumentException("a step plan needs a summary");
    }
    details = List.copyOf(details);
  }

  public static StepPlan of(String summary) {
    return new StepPlan(summary, List.of());
  }

  public static StepPlan of(String summary, List<String> details) {
    return new StepPlan(summary, details);
  }
}
