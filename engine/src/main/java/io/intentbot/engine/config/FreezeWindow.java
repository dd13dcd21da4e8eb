package io.intentbot.engine.config;

import java.time.Duration;
import java.time.Instant;

/**
 * A time when mutating runs are refused in an environment ({@code freeze:}): either windows that
 * start whenever {@code cron} matches (five fields, UTC) and last {@code duration}, or one window
 * from {@code from} to {@code to}.
 *
 * @param cron minute hour day-of-month month day-of-week, e.g. {@code 0 16 * * FRI}; or null
 * @param duration how long each cron window lasts; null with from/to
 * @param from start of a dated window, or null
 * @param to end of a dated window, or null
 * @param reason shown in refusals, e.g. {@code weekend}
 */
public record FreezeWindow(
    String cron, Duration duration, Instant from, Instant to, String reason) {}
