package io.intentbot.engine.model;

/** Where one step of a run is. */
public enum StepStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Its {@code if:} was false, or the run stopped before it. */
  SKIPPED,
  CANCELLED,
  /** Dry run: planned, not executed. */
  PLANNED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
