package io.intentbot.engine.config;

import io.intentbot.engine.yaml.LoadProblem;
import java.util.Comparator;
import java.util.List;

/**
 * What {@link ConfigLoader#check} found: the config as far as it could be read, and every problem.
 * With problems, values that were wrong are left at their defaults in {@link #config()}: use it
 * only to keep reporting (e.g. {@code lint} goes on to the intents), never to run.
 *
 * @param config the bound config
 * @param problems every problem, sorted by line and column
 */
public record ConfigResult(IntentbotConfig config, List<LoadProblem> problems) {

  public ConfigResult {
    problems =
        problems.stream()
            .sorted(
                Comparator.comparingInt((LoadProblem p) -> p.location().line())
                    .thenComparingInt(p -> p.location().column()))
            .toList();
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** The config, or a {@link ConfigException} naming every problem. */
  public IntentbotConfig orThrow() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }
}
