package io.intentbot.kubernetes;

import io.intentbot.engine.step.StepOutput;

/** Writes a waiting step's progress as a line each time it changes, not at every look. */
public final class ProgressLine {

  private final StepOutput output;
  private volatile String last;

  public ProgressLine(StepOutput output) {
    this.output = output;
  }

  public void report(String progress) {
    if (!progress.equals(last)) {
      output.line(progress);
      last = progress;
    }
  }
}
