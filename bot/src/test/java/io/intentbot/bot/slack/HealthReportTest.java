package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code /healthz}'s answer: degraded, then not ready once Slack stays unreachable too long. */
class HealthReportTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  final SlackHealth slack = new SlackHealth();
  final AtomicBoolean database = new AtomicBoolean(true);
  List<String> broken = List.of();
  final HealthReport report =
      new HealthReport(slack, database::get, () -> broken, clock, Duration.ofMinutes(2));

  @Test
  void okWhenEverythingAnswers() {
    slack.reachable();
    assertThat(report.answer())
        .isEqualTo(
            new HealthReport.Answer(
                200,
                "{\"status\":\"ok\",\"slack\":\"ok\",\"database\":\"ok\",\"broken_intents\":[],"
                    + "\"slack_problems\":[]}\n"));
  }

  @Test
  void slackUnreachableIsDegradedForTwoMinutesThenNotReady() {
    slack.unreachable(clock.instant(), "connection refused");
    assertThat(report.answer().status()).isEqualTo(200);
    assertThat(report.answer().body())
        .startsWith("{\"status\":\"degraded\",\"slack\":\"unreachable\"");
    clock.advance(Duration.ofSeconds(119));
    slack.unreachable(clock.instant(), "connection refused");
    assertThat(report.answer().status()).as("still within the two minutes").isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(report.answer().status()).isEqualTo(503);
    assertThat(report.answer().body()).startsWith("{\"status\":\"unavailable\"");
    slack.reachable();
    assertThat(report.answer().status()).isEqualTo(200);
  }

  @Test
  void brokenIntentsAndSlackProblemsAreDegradedAndListed() {
    slack.reachable();
    broken = List.of("deploy-app.yaml:3:5: unknown key 'stpes'");
    slack.problem("conversations.info", "missing_scope", "channels:read");
    assertThat(report.answer().status()).isEqualTo(200);
    assertThat(report.answer().body())
        .startsWith("{\"status\":\"degraded\"")
        .contains("\"broken_intents\":[\"deploy-app.yaml:3:5: unknown key 'stpes'\"]")
        .contains("\"slack_problems\":[\"conversations.info: missing_scope");
  }

  @Test
  void aDatabaseThatDoesNotAnswerOrARejectedTokenIsNotReady() {
    slack.reachable();
    database.set(false);
    assertThat(report.answer().status()).isEqualTo(503);
    assertThat(report.answer().body()).contains("\"database\":\"unreachable\"");
    database.set(true);
    slack.rejected("invalid_auth");
    assertThat(report.answer().status()).isEqualTo(503);
    assertThat(report.answer().body()).contains("\"slack\":\"rejected: invalid_auth\"");
  }
}
