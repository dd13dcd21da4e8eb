package io.intentbot.bot.slack;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The bot's metrics in Prometheus format: runs by intent and status ({@code intentbot_runs_total}),
 * step durations ({@code intentbot_step_duration_seconds}), Slack acknowledgement latency ({@code
 * intentbot_slack_ack_seconds}) and Slack API errors ({@code intentbot_slack_api_errors_total}).
 */
public final class SlackMetrics implements RunListener {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Override
  public void onEvent(RunEvent event) {
    if (event instanceof RunEvent.RunFinished f) {
      Counter.builder("intentbot.runs")
          .description("Finished runs")
          .tag("intent", f.run().intent())
          .tag("status", f.run().status().label())
          .register(registry)
          .increment();
    } else if (event instanceof RunEvent.StepFinished s && s.step().durationMillis() >= 0) {
      Timer.builder("intentbot.step.duration")
          .description("Step durations")
          .tag("intent", s.run().intent())
          .tag("type", s.step().type())
          .tag("status", s.step().status().label())
          .register(registry)
          .record(Duration.ofMillis(s.step().durationMillis()));
    }
  }

  /** Counts refused attempts ({@code intentbot_refused_total}, by action and rule). */
  @Override
  public void onRefused(AccessEvent event) {
    Counter.builder("intentbot.refused")
        .description("Requests and decisions refused by who-may-do-what rules")
        .tag("action", event.action())
        .tag("rule", event.rule() == null ? "unknown" : event.rule())
        .register(registry)
        .increment();
  }

  public void ack(Duration latency) {
    Timer.builder("intentbot.slack.ack")
        .description("Time to acknowledge a Slack request")
        .register(registry)
        .record(latency);
  }

  public void slackError(String method, String error) {
    Counter.builder("intentbot.slack.api.errors")
        .description("Slack Web API calls that failed")
        .tag("method", method)
        .tag("error", error == null ? "unknown" : error)
        .register(registry)
        .increment();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
