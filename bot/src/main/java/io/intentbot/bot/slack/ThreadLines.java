package io.intentbot.bot.slack;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run's lines that piled up go into its thread as one message: notes and output lines in
 * their order, up to {@value #MAX_BATCH_CHARS} characters or {@value #MAX_BATCH_LINES} lines,
 * stopping at a file (uploaded on its own); notes as prose, runs of output lines as one
 * preformatted block.
 */
final class ThreadLines {

  static final int MAX_BATCH_CHARS = 3500;
  static final int MAX_BATCH_LINES = 60;

  private ThreadLines() {}

  /** The lines at the front of {@code ofRun} (top messages skipped) that make one message. */
  static List<OutboxStore.Message> batch(List<OutboxStore.Message> ofRun) {
    List<OutboxStore.Message> batch = new ArrayList<>();
    int chars = 0;
    for (OutboxStore.Message m : ofRun) {
      if (m.kind() == OutboxStore.Kind.HEAD) {
        continue;
      }
      if (m.kind() == OutboxStore.Kind.FILE) {
        break;
      }
      if (!batch.isEmpty()
          && (chars + m.body().length() > MAX_BATCH_CHARS || batch.size() >= MAX_BATCH_LINES)) {
        break;
      }
      batch.add(m);
      chars += m.body().length() + 8;
    }
    return batch;
  }

  /** Notes as prose, runs of output lines as one preformatted block. */
  static String render(List<OutboxStore.Message> batch) {
    StringBuilder text = new StringBuilder();
    boolean inCode = false;
    for (OutboxStore.Message m : batch) {
      boolean output = m.kind() == OutboxStore.Kind.OUTPUT;
      if (output && !inCode) {
        text.append("```\n");
        inCode = true;
      } else if (!output && inCode) {
        text.append("```\n");
        inCode = false;
      }
      text.append(output ? m.body().replace("```", "'''") : m.body()).append('\n');
    }
    if (inCode) {
      text.append("```\n");
    }
    return text.toString().stripTrailing();
  }
}
