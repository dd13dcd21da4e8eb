package io.intentbot.engine.internal;

import java.util.List;

/** A request checked and planned, or the errors that stop it. */
record PreparedRun(RunState state, List<String> errors) {

  static PreparedRun invalid(List<String> errors) {
    return new PreparedRun(null, errors);
  }

  boolean ok() {
    return state != null;
  }
}
