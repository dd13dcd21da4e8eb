package io.intentbot.engine.params;

import io.intentbot.engine.model.InputProblem;
import java.util.List;

/** Either bound parameters or every problem found, each naming the parameter and the fix. */
public record BindResult(BoundParameters parameters, List<InputProblem> problems) {

  public BindResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** Each problem's sentence for people. */
  public List<String> errors() {
    return problems.stream().map(InputProblem::message).toList();
  }
}
