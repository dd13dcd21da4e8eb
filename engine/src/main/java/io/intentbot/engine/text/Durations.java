package io.intentbot.engine.text;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations as people write them: {@code 90s}, {@code 5m}, {@code 1h30m}. */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 2d}, or ISO-8601. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String value = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.startsWith("p")) {
      try {
        return Optional.of(Duration.parse(value.toUpperCase(java.util.Locale.ROOT)));
      } catch (java.time.format.DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher matcher = PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        return Optional.empty();
      }
      long amount;
      try {
        amount = Long.parseLong(matcher.group(1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      total =
          switch (matcher.group(2)) {
            case "ms" -> total.plusMillis(amount);
            case "s" -> total.plusSeconds(amount);
            case "m" -> total.plusMinutes(amount);
            case "h" -> total.plusHours(amount);
            default -> total.plusDays(amount);
          };
      end = matcher.end();
    }
    return end == value.length() && end > 0 ? Optional.of(total) : Optional.empty();
  }

  /** Short form: {@code 1h30m}, {@code 45s}, {@code 250ms}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      long tenths = (millis % 1000) / 100;
      return tenths == 0 ? seconds + "s" : seconds + "." + tenths + "s";
    }
    StringBuilder out = new StringBuilder();
    long days = seconds / 86400;
    long hours = (seconds % 86400) / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (days > 0) out.append(days).append('d');
    if (hours > 0) out.append(hours).append('h');
    if (minutes > 0) out.append(minutes).append('m');
    if (secs > 0) out.append(secs).append('s');
    return out.toString();
  }
}
