package io.intentbot.engine.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, UTC) as freeze windows
 * use it: numbers, {@code *}, lists ({@code 1,15}), ranges ({@code MON-FRI}), steps ({@code
 * *}{@code /15}), month and day names. Day-of-month and day-of-week both restrict when both are
 * given.
 *
 * <pre>{@code
 * CronSchedule friday = CronSchedule.parse("0 16 * * FRI");
 * boolean frozen = friday.lastStartWithin(now, Duration.ofHours(64)).isPresent();
 * }</pre>
 */
public final class CronSchedule {

  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;

  private CronSchedule(String text, BitSet[] fields) {
    this.text = text;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.days = fields[2];
    this.months = fields[3];
    this.weekdays = fields[4];
  }

  /**
   * @throws IllegalArgumentException saying what is wrong
   */
  public static CronSchedule parse(String text) {
    String[] parts = text.trim().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException(
          "a cron expression has 5 fields (minute hour day month weekday), got '" + text + "'");
    }
    BitSet[] fields = {
      field(parts[0], 0, 59, null, "minute"),
      field(parts[1], 0, 23, null, "hour"),
      field(parts[2], 1, 31, null, "day of month"),
      field(parts[3], 1, 12, MONTHS, "month"),
      field(parts[4], 0, 7, DAYS, "day of week")
    };
    if (fields[4].get(7)) {
      fields[4].set(0);
    }
    return new CronSchedule(text, fields);
  }

  private static BitSet field(String text, int min, int max, String[] names, String what) {
    BitSet set = new BitSet();
    for (String item : text.split(",")) {
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        step = number(item.substring(slash + 1), 1, max, null, what);
        range = item.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", 2);
        from = number(ends[0], min, max, names, what);
        to = number(ends[1], min, max, names, what);
      } else {
        from = number(range, min, max, names, what);
        to = slash >= 0 ? max : from;
      }
      if (from > to) {
        throw new IllegalArgumentException("cron " + what + " range '" + range + "' is backwards");
      }
      for (int i = from; i <= to; i += step) {
        set.set(i);
      }
    }
    return set;
  }

  private static int number(String text, int min, int max, String[] names, String what) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(text.toUpperCase(Locale.ROOT))) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            "cron " + what + " must be " + min + ".." + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cron " + what + " '" + text + "' is not a number", e);
    }
  }

  /** Whether a window starts at this minute. */
  public boolean matches(ZonedDateTime t) {
    return minutes.get(t.getMinute())
        && hours.get(t.getHour())
        && days.get(t.getDayOfMonth())
        && months.get(t.getMonthValue())
        && weekdays.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
  }

  /** The latest start at or before {@code now} and less than {@code length} ago, if any. */
  public Optional<Instant> lastStartWithin(Instant now, Duration length) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime earliest = now.minus(length).atZone(ZoneOffset.UTC);
    for (; t.isAfter(earliest); t = t.minusMinutes(1)) {
      if (matches(t)) {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  /** The next start after {@code now}, looked for within {@code horizon}. */
  public Optional<Instant> nextStart(Instant now, Duration horizon) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime last = now.plus(horizon).atZone(ZoneOffset.UTC);
    for (; !t.isAfter(last); t = t.plusMinutes(1)) {
      if (matches(t)) {
        return Optional.of(t.toInstant());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
