package io.intentbot.bot.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.listener.WebSocketMessageListener;
import io.intentbot.engine.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each Socket Mode envelope (a slash command, an interaction, an event) to the Bolt app and
 * acknowledges it with the app's answer: {@code {"envelope_id": ..., "payload": ...}}, the payload
 * being the JSON the app answered, or {@code {"text": ...}} for plain text, or absent for an empty
 * ack. An envelope the app fails on or answers with another status than 200 is logged and left
 * unacknowledged, so Slack reports the failure (and retries events).
 *
 * <p>bolt-socket-mode does this itself only for clients it builds; a {@code SocketModeApp} given a
 * client of its own (here {@link CappedSocketModeClient}) needs it added as a message listener.
 */
final class SocketModeDispatch implements WebSocketMessageListener {

  private static final Logger log = LoggerFactory.getLogger(SocketModeDispatch.class);

  private final App app;
  private final SocketModeClient client;
  private final SocketModeRequestParser parser;

  SocketModeDispatch(App app, SocketModeClient client) {
    this.app = app;
    this.client = client;
    this.parser = new SocketModeRequestParser(app.config());
  }

  @Override
  public void handle(String message) {
    SocketModeRequest request = parser.parse(message);
    if (request == null) {
      return; // hello and other messages that are not envelopes
    }
    String envelope = request.getEnvelope().getEnvelopeId();
    Response response;
    try {
      response = app.run(request.getBoltRequest());
    } catch (Exception e) {
      log.error("Socket Mode envelope {} failed: {}", envelope, e.toString(), e);
      return;
    }
    if (response.getStatusCode() != 200) {
      log.warn(
          "Socket Mode envelope {} not acknowledged (status {}: {})",
          envelope,
          response.getStatusCode(),
          response.getBody());
      return;
    }
    client.sendSocketModeResponse(ack(envelope, response));
  }

  private static String ack(String envelope, Response response) {
    ObjectNode ack = Json.MAPPER.createObjectNode().put("envelope_id", envelope);
    String body = response.getBody();
    if (body != null) {
      String type = response.getContentType();
      try {
        if (type != null && type.startsWith("application/json")) {
          ack.set("payload", Json.MAPPER.readTree(body));
        } else {
          ack.putObject("payload").put("text", body);
        }
      } catch (JsonProcessingException e) {
        ack.putObject("payload").put("text", body);
      }
    }
    return ack.toString();
  }
}
