package io.intentbot.bot.chat;

import io.intentbot.engine.model.RunRecord;

/** Something to show in a run's thread: its top message changed, or a line to add below it. */
public sealed interface ThreadUpdate {

  RunRecord run();

  /** The run's top message, first posted or changed. The newest head replaces older ones. */
  record Head(RunRecord run, RunHead head) implements ThreadUpdate {}

  /**
   * A line in the run's thread. Consecutive lines may be posted together.
   *
   * @param hidden for {@link LineKind#OUTPUT_CUT}, how many lines of the step's output the thread
   *     did not show; 0 otherwise
   */
  record Line(RunRecord run, LineKind kind, String text, int hidden) implements ThreadUpdate {

    public Line(RunRecord run, LineKind kind, String text) {
      this(run, kind, text, 0);
    }

    /**
     * The note after a step whose output was cut: {@code text} says where a terminal user finds the
     * rest ({@code intentbot show RUN}); a chat adapter whose users cannot run that says where they
     * find it instead, from {@code hidden} (Slack: the file it attaches below).
     */
    public static Line outputCut(RunRecord run, int hidden) {
      return new Line(
          run,
          LineKind.OUTPUT_CUT,
          "… " + hidden + " more lines: see `intentbot show " + run.id() + "`",
          hidden);
    }
  }

  /**
   * Progress notes are prose; output is what a step printed (shown as preformatted text); an output
   * cut is the note that a step printed more than the thread shows (see {@link Line#outputCut}),
   * shown as a note where an adapter has nothing better.
   */
  enum LineKind {
    NOTE,
    OUTPUT,
    OUTPUT_CUT
  }
}
