package io.intentbot.bot.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.intentbot.engine.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The answer of {@code GET /healthz}: 200 with {@code {"status":"ok"|"degraded", "slack":…,
 * "database":…, "broken_intents":[…], "slack_problems":[…]}} while the bot can serve, 503 (status
 * {@code unavailable}) when it cannot: the audit database is unreachable, Slack rejected the token,
 * or Slack has been unreachable for longer than {@code unreadyAfter} (two minutes in {@code
 * serve}). Degraded: Slack unreachable for less than that, a configuration problem Slack reported
 * ({@code slack_problems}), or intent files that did not load ({@code broken_intents}, each {@code
 * file:line:col: message}).
 *
 * <p>{@code slack} is {@code ok}, {@code unreachable}, {@code rejected: <error>} or {@code unknown}
 * (not asked yet); {@code database} is {@code ok} or {@code unreachable}.
 */
public final class HealthReport {

  /** What {@code /healthz} answers. */
  public record Answer(int status, String body) {}

  private final SlackHealth slack;
  private final BooleanSupplier database;
  private final Supplier<List<String>> brokenIntents;
  private final Clock clock;
  private final Duration unreadyAfter;

  public HealthReport(
      SlackHealth slack,
      BooleanSupplier database,
      Supplier<List<String>> brokenIntents,
      Clock clock,
      Duration unreadyAfter) {
    this.slack = slack;
    this.database = database;
    this.brokenIntents = brokenIntents;
    this.clock = clock;
    this.unreadyAfter = unreadyAfter;
  }

  public Answer answer() {
    boolean databaseUp = database.getAsBoolean();
    List<String> broken = brokenIntents.get();
    List<String> problems = slack.problems();
    SlackHealth.Reach reach = slack.reach();
    boolean ready =
        databaseUp
            && reach != SlackHealth.Reach.REJECTED
            && slack.unreachableFor(clock.instant()).compareTo(unreadyAfter) < 0;
    boolean degraded =
        reach == SlackHealth.Reach.UNREACHABLE || !problems.isEmpty() || !broken.isEmpty();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", !ready ? "unavailable" : degraded ? "degraded" : "ok");
    body.put(
        "slack",
        switch (reach) {
          case OK -> "ok";
          case UNKNOWN -> "unknown";
          case UNREACHABLE -> "unreachable";
          case REJECTED -> "rejected: " + slack.why();
        });
    body.put("database", databaseUp ? "ok" : "unreachable");
    body.put("broken_intents", broken);
    body.put("slack_problems", problems);
    try {
      return new Answer(ready ? 200 : 503, Json.MAPPER.writeValueAsString(body) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
