package io.intentbot.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Slash commands shaped and signed like Slack's (HMAC-SHA256 over {@code v0:ts:body}). */
final class SignedSlack {

  static final String SIGNING_SECRET = "bench-signing-secret-0123456789";
  static final String BOT_TOKEN = "xoxb-bench-0000000000-token";

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(4, Daemon.threads("load")))
          .build();
  private final URI events;
  private final FakeSlackApi slack;

  SignedSlack(String eventsUrl, FakeSlackApi slack) {
    this.events = URI.create(eventsUrl);
    this.slack = slack;
  }

  /** Sends {@code /intent TEXT}; completes with the HTTP status when the answer arrives. */
  CompletableFuture<Integer> command(String user, String channel, String text, String trigger) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", "legacy");
    form.put("team_id", "T0TEAM");
    form.put("team_domain", "t");
    form.put("channel_id", channel);
    form.put("channel_name", "ops");
    form.put("user_id", user);
    form.put("user_name", user.toLowerCase());
    form.put("command", "/intent");
    form.put("text", text);
    form.put("api_app_id", "A0APP");
    form.put("response_url", slack.responseUrl(trigger));
    form.put("trigger_id", trigger);
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    String ts = String.valueOf(System.currentTimeMillis() / 1000);
    HttpRequest request =
        HttpRequest.newBuilder(events)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("X-Slack-Request-Timestamp", ts)
            .header("X-Slack-Signature", sign(ts, body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  static String sign(String ts, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "v0="
          + HexFormat.of()
              .formatHex(mac.doFinal(("v0:" + ts + ":" + body).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
