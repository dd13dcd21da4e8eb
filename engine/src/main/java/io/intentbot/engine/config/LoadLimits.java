package io.intentbot.engine.config;

import java.util.Map;

/**
 * How much load the engine takes, from config's {@code limits:} section; every key is optional:
 *
 * <pre>{@code
 * limits:
 *   runs_per_user: 5    # runs in progress (waiting for approval, queued, running) per requester
 *   runs_total: 100     # runs in progress in all, across the processes sharing the audit database
 *   processes: 32       # steps executing at once in this process (each holds a thread, most a child
 *                       # process); more wait their turn holding no thread, their timeout not started
 * }</pre>
 *
 * A submission past {@code runs_per_user} or {@code runs_total} is refused, naming the limit; dry
 * runs are not counted.
 *
 * @param runsPerUser runs in progress one requester may have
 * @param runsTotal runs in progress in all
 * @param processes steps that execute at once on threads of their own in one process
 */
public record LoadLimits(int runsPerUser, int runsTotal, int processes) {

  /** The limits when config says nothing: 5 runs per user, 100 in all, 32 steps at once. */
  public static final LoadLimits DEFAULT = new LoadLimits(5, 100, 32);

  /**
   * @throws IllegalArgumentException when a limit is below 1
   */
  public LoadLimits {
    atLeastOne("runs_per_user", runsPerUser);
    atLeastOne("runs_total", runsTotal);
    atLeastOne("processes", processes);
  }

  /**
   * The {@code limits:} section of {@code config}, {@link #DEFAULT} for what it leaves out.
   *
   * @throws IllegalArgumentException when a limit is below 1
   */
  public static LoadLimits of(IntentbotConfig config) {
    Map<String, Object> section = config.section("limits");
    return new LoadLimits(
        value(section, "runs_per_user", DEFAULT.runsPerUser),
        value(section, "runs_total", DEFAULT.runsTotal),
        value(section, "processes", DEFAULT.processes));
  }

  private static int value(Map<String, Object> section, String key, int fallback) {
    Object value = section.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limits." + key + " must be a whole number, got " + value);
    }
  }

  private static void atLeastOne(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "limits."
              + key
              + " must be at least 1, got "
              + value
              + " (leave it out for the default)");
    }
  }
}
