package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.Reply;
import io.intentbot.engine.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for the requester alone (ephemeral): through the request's response URL when there is
 * one, else {@code chat.postEphemeral}. A reply that cannot be sent is counted and logged, never
 * thrown: the request it answers has been acknowledged already.
 */
final class SlackReplies {

  private static final Logger log = LoggerFactory.getLogger(SlackReplies.class);
  private static final ObjectMapper JSON = Json.MAPPER;

  private final Slack slack;
  private final MethodsClient methods;
  private final SlackMetrics metrics;

  SlackReplies(Slack slack, MethodsClient methods, SlackMetrics metrics) {
    this.slack = slack;
    this.methods = methods;
    this.metrics = metrics;
  }

  /** An ephemeral reply: through the response URL when there is one, else chat.postEphemeral. */
  void send(Reply reply, ChatUser who, String responseUrl) {
    try {
      if (responseUrl != null && !responseUrl.isBlank()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response_type", "ephemeral");
        body.put("replace_original", false);
        body.put("text", SlackLimits.cut(SlackText.mrkdwn(reply.text()), SlackLimits.MESSAGE_TEXT));
        var response = slack.send(responseUrl, JSON.writeValueAsString(body));
        if (response.getCode() != 200) {
          metrics.slackError("response_url", String.valueOf(response.getCode()));
        }
      } else if (who.channel() != null) {
        var response =
            methods.chatPostEphemeral(
                r ->
                    r.channel(who.channel())
                        .user(who.user())
                        .text(
                            SlackLimits.cut(
                                SlackText.mrkdwn(reply.text()), SlackLimits.MESSAGE_TEXT)));
        if (!response.isOk()) {
          metrics.slackError("chat.postEphemeral", response.getError());
        }
      }
    } catch (Exception e) {
      metrics.slackError("reply", "io");
      log.warn("cannot reply to {}: {}", who.user(), e.toString());
    }
  }

  void failed(Exception e, ChatUser who, String responseUrl) {
    String ref = UUID.randomUUID().toString().substring(0, 8);
    log.error("request from {} failed (ref {})", who.user(), ref, e);
    send(
        Reply.error("Something went wrong on our side (ref " + ref + "). It was logged."),
        who,
        responseUrl);
  }
}
