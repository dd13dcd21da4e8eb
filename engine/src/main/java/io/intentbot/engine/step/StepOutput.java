package io.intentbot.engine.step;

/**
 * Where a step writes its human-readable output, one line at a time. Lines are redacted, timed,
 * stored in the audit record and streamed to every run listener (the Slack thread, the console).
 */
@FunctionalInterface
public interface StepOutput {

  void line(String text);

  /** Writes each line of a multi-line text. */
  default void lines(String text) {
    text.lines().forEach(this::line);
  }
}
