package io.intentbot.engine.access;

import io.intentbot.engine.config.CronSchedule;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.FreezeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/** Answers whether an environment is frozen now ({@code freeze:}) and when its next window is. */
public final class FreezeCalendar {

  /** How far ahead {@link #next} looks for a cron window. */
  static final Duration HORIZON = Duration.ofDays(32);

  private FreezeCalendar() {}

  /** A window in effect or to come: when it starts and ends, and why. */
  public record Window(Instant from, Instant to, String reason) {}

  /** The window {@code now} falls in (the one ending last when several do), if any. */
  public static Optional<Window> current(EnvironmentConfig environment, Instant now) {
    return environment.freeze().stream()
        .map(w -> current(w, now))
        .flatMap(Optional::stream)
        .max(Comparator.comparing(Window::to));
  }

  /** The next window starting after {@code now}, if one starts within a month. */
  public static Optional<Window> next(EnvironmentConfig environment, Instant now) {
    return environment.freeze().stream()
        .map(w -> next(w, now))
        .flatMap(Optional::stream)
        .min(Comparator.comparing(Window::from));
  }

  private static Optional<Window> current(FreezeWindow w, Instant now) {
    if (w.cron() == null) {
      return !now.isBefore(w.from()) && now.isBefore(w.to())
          ? Optional.of(new Window(w.from(), w.to(), w.reason()))
          : Optional.empty();
    }
    return CronSchedule.parse(w.cron())
        .lastStartWithin(now, w.duration())
        .map(start -> new Window(start, start.plus(w.duration()), w.reason()));
  }

  private static Optional<Window> next(FreezeWindow w, Instant now) {
    if (w.cron() == null) {
      return w.from().isAfter(now)
          ? Optional.of(new Window(w.from(), w.to(), w.reason()))
          : Optional.empty();
    }
    return CronSchedule.parse(w.cron())
        .nextStart(now, HORIZON)
        .map(start -> new Window(start, start.plus(w.duration()), w.reason()));
  }
}
