package io.intentbot.engine.internal;

import io.intentbot.engine.model.InputProblem;
import java.util.List;

/** A request checked and planned, or the problems that stop it. */
record PreparedRun(RunState state, List<InputProblem> problems) {

  static PreparedRun invalid(List<InputProblem> problems) {
    return new PreparedRun(null, problems);
  }

  /** Problems that are about no parameter: computed defaults, lock key, plan. */
  static PreparedRun cannotPlan(List<String> messages) {
    return invalid(
        messages.stream()
            .map(m -> InputProblem.general(InputProblem.Kind.CANNOT_PLAN, m))
            .toList());
  }

  boolean ok() {
    return state != null;
  }

  List<String> errors() {
    return problems.stream().map(InputProblem::message).toList();
  }
}
