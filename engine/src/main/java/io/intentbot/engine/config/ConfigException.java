package io.intentbot.engine.config;

import io.intentbot.engine.yaml.LoadProblem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The config file is missing or wrong; the message names the file, the key and the fix. When the
 * file was read, {@link #problems()} holds every problem, each {@code file:line:col: message}, and
 * the message is those lines.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<LoadProblem> problems;

  public ConfigException(String message) {
    super(message);
    this.problems = List.of();
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of();
  }

  /** Every problem found in a file, one per line of the message. */
  public ConfigException(List<LoadProblem> problems) {
    super(problems.stream().map(LoadProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** The problems found in the file, in file order; empty when it could not be read. */
  public List<LoadProblem> problems() {
    return problems == null ? List.of() : problems;
  }
}
