package io.intentbot.bot.chat;

import io.intentbot.engine.model.RunRecord;
import java.time.Duration;
import java.util.stream.Collectors;

/** Small text helpers shared by the renderers. */
public final class RunText {

  private RunText() {}

  /** {@code app=web env=production}. */
  public static String parameters(RunRecord run) {
    return run.parameters().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  /** {@code 850ms}, {@code 12s}, {@code 3m 05s}. */
  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm'Z'", java.util.Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /** A moment as people read it: {@code Fri 2026-12-04 16:00Z}. */
  public static String when(java.time.Instant at) {
    return WHEN.format(at);
  }

  public static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    return String.format("%dm %02ds", seconds / 60, seconds % 60);
  }

  /** Cuts text to {@code max} characters, marking the cut. */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, Math.max(0, max - 1)) + "…";
  }
}
