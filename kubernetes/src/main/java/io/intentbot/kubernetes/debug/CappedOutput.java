package io.intentbot.kubernetes.debug;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps the first {@code cap} bytes written to it and counts the rest. */
final class CappedOutput extends OutputStream {

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final long cap;
  private long dropped;

  CappedOutput(long cap) {
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < cap) {
      kept.write(b);
    } else {
      dropped++;
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int room = (int) Math.max(0, Math.min(len, cap - kept.size()));
    kept.write(b, off, room);
    dropped += len - room;
  }

  synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  synchronized boolean truncated() {
    return dropped > 0;
  }
}
