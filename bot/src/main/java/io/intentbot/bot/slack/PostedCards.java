package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import java.io.IOException;

/**
 * Finds a run's top message that Slack did post though its answer was lost, so that a post tried
 * again updates it rather than making a second card: the bot's recent top-level messages in the
 * channel ({@code conversations.history}, the last 100) carrying the run's mark.
 */
final class PostedCards {

  private static final String METHOD = "conversations.history";

  private final MethodsClient slack;
  private final SlackRateLimits limits;
  private final SlackMetrics metrics;
  private final SlackHealth health;

  PostedCards(
      MethodsClient slack, SlackRateLimits limits, SlackMetrics metrics, SlackHealth health) {
    this.slack = slack;
    this.limits = limits;
    this.metrics = metrics;
    this.health = health;
  }

  /**
   * The ts of the run's top message in {@code channel}; null when it is not there or Slack cannot
   * say.
   */
  String find(String channel, String runId) {
    if (!limits.mayCall(METHOD, channel)) {
      return null;
    }
    try {
      var history = slack.conversationsHistory(r -> r.channel(channel).limit(100));
      if (!history.isOk()) {
        metrics.slackError(METHOD, history.getError());
        if (SlackHealth.configurationError(history.getError())) {
          health.problem(METHOD, history.getError(), history.getNeeded());
        }
        return null;
      }
      health.fine(METHOD);
      String mark = " · run " + SlackText.escape(runId) + " · ";
      for (var message : history.getMessages()) {
        if (message.getBotId() != null
            && message.getThreadTs() == null
            && message.getText() != null
            && message.getText().contains(mark)) {
          return message.getTs();
        }
      }
    } catch (SlackApiException e) {
      if (e.getResponse().code() == 429) {
        limits.rateLimited(METHOD, channel, e.getResponse().header("Retry-After"));
      }
    } catch (IOException e) {
      metrics.slackError(METHOD, "io");
    }
    return null;
  }
}
