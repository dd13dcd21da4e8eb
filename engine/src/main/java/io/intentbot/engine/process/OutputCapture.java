package io.intentbot.engine.process;

import java.nio.charset.StandardCharsets;

/** Keeps the first {@code limit} bytes of a stream's lines, and its last non-blank line. */
public final class OutputCapture {

  private final int limit;
  private final StringBuilder text = new StringBuilder();
  private int bytes;
  private boolean truncated;
  private String lastLine = "";

  public OutputCapture(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("an output limit must be at least 1 byte, got " + limit);
    }
    this.limit = limit;
  }

  /** Adds one line (without its newline) and returns it. */
  public synchronized String add(String line) {
    if (!line.isBlank()) {
      lastLine = line.strip();
    }
    if (truncated) {
      return line;
    }
    byte[] encoded = (text.length() == 0 ? line : "\n" + line).getBytes(StandardCharsets.UTF_8);
    int room = limit - bytes;
    if (encoded.length <= room) {
      text.append(new String(encoded, StandardCharsets.UTF_8));
      bytes += encoded.length;
    } else {
      String cut = new String(encoded, 0, room, StandardCharsets.UTF_8);
      text.append(cut.replaceAll("\uFFFD+$", ""));
      bytes = limit;
      truncated = true;
    }
    return line;
  }

  public int limit() {
    return limit;
  }

  /** The kept text, without trailing newlines. */
  public synchronized String text() {
    return text.toString().replaceAll("\n+$", "");
  }

  /** Whether lines were left out (or cut) because of the limit. */
  public synchronized boolean truncated() {
    return truncated;
  }

  public synchronized String lastLine() {
    return lastLine;
  }
}
