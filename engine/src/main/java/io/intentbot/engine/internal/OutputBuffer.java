package io.intentbot.engine.internal;

/** A step's output text for the audit store, cut at a limit with a note of what was left out. */
final class OutputBuffer {

  static final int LIMIT = 64 * 1024;
  private final StringBuilder text = new StringBuilder();
  private int droppedLines;

  synchronized void append(String line) {
    if (text.length() + line.length() + 1 > LIMIT) {
      droppedLines++;
      return;
    }
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(line);
  }

  synchronized String text() {
    return droppedLines == 0
        ? text.toString()
        : text + "\n… output cut: " + droppedLines + " more lines not stored";
  }
}
