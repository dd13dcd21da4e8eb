package io.intentbot.bot.chat;

import io.intentbot.engine.model.RunRecord;

/** Something to show in a run's thread: its top message changed, or a line to add below it. */
public sealed interface ThreadUpdate {

  RunRecord run();

  /** The run's top message, first posted or changed. The newest head replaces older ones. */
  record Head(RunRecord run, RunHead head) implements ThreadUpdate {}

  /** A line in the run's thread. Consecutive lines may be posted together. */
  record Line(RunRecord run, LineKind kind, String text) implements ThreadUpdate {}

  /** Progress notes are prose; output is what a step printed (shown as preformatted text). */
  enum LineKind {
    NOTE,
    OUTPUT
  }
}
