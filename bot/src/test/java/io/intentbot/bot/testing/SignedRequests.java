package io.intentbot.bot.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends requests to the bot shaped and signed like Slack's (HMAC-SHA256 over v0:ts:body), for the
 * bot's tests and the benchmarks.
 */
public final class SignedRequests {

  private final HttpClient http;
  private final String url;
  private final String secret;
  private final FakeSlack slack;

  public SignedRequests(String url, String secret, FakeSlack slack) {
    this(url, secret, slack, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  /**
   * As {@link #SignedRequests(String, String, FakeSlack)}, sending on {@code executor}'s threads.
   */
  public SignedRequests(String url, String secret, FakeSlack slack, Executor executor) {
    this(
        url,
        secret,
        slack,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(executor).build());
  }

  private SignedRequests(String url, String secret, FakeSlack slack, HttpClient http) {
    this.url = url;
    this.secret = secret;
    this.slack = slack;
    this.http = http;
  }

  /** A slash command {@code /intent TEXT} from {@code user} in {@code channel}. */
  public HttpResponse<String> command(String user, String channel, String text) throws Exception {
    return post(commandBody(user, channel, text, "trig-" + UUID.randomUUID()), Instant.now(), null);
  }

  /**
   * Sends {@code /intent TEXT} with trigger id {@code trigger} without waiting; completes with the
   * HTTP status when the answer arrives (its body is dropped).
   */
  public CompletableFuture<Integer> commandAsync(
      String user, String channel, String text, String trigger) {
    String body = commandBody(user, channel, text, trigger);
    String ts = String.valueOf(Instant.now().getEpochSecond());
    return http.sendAsync(
            request(body, ts, signature(ts, body)), HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  public String commandBody(String user, String channel, String text, String triggerId) {
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
    form.put("response_url", slack.responseUrl(user + "-" + triggerId));
    form.put("trigger_id", triggerId);
    return encode(form);
  }

  /** A click on a button of the run's approval card. */
  public HttpResponse<String> click(String user, String actionId, String runId, String channel)
      throws Exception {
    return post(
        clickBody(user, actionId, runId, channel, "trig-" + UUID.randomUUID()),
        Instant.now(),
        null);
  }

  public String clickBody(
      String user, String actionId, String runId, String channel, String trigger) {
    String payload =
        "{\"type\":\"block_actions\",\"user\":{\"id\":\""
            + user
            + "\",\"username\":\"u\",\"team_id\":\"T0TEAM\"},\"api_app_id\":\"A0APP\",\"token\":\"legacy\","
            + "\"container\":{\"type\":\"message\",\"message_ts\":\"1.1\",\"channel_id\":\""
            + channel
            + "\"},\"trigger_id\":\""
            + trigger
            + "\",\"team\":{\"id\":\"T0TEAM\",\"domain\":\"t\"},\"channel\":{\"id\":\""
            + channel
            + "\",\"name\":\"ops\"},\"response_url\":\""
            + slack.responseUrl(user + "-" + trigger)
            + "\",\"actions\":[{\"action_id\":\""
            + actionId
            + "\",\"block_id\":\"approval\",\"text\":{\"type\":\"plain_text\",\"text\":\"Approve\"},"
            + "\"value\":\""
            + runId
            + "\",\"type\":\"button\",\"action_ts\":\""
            + System.nanoTime()
            + "\"}]}";
    return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
  }

  /** A modal submission with raw view state JSON. */
  public HttpResponse<String> submitView(String user, String privateMetadata, String stateValues)
      throws Exception {
    String payload =
        "{\"type\":\"view_submission\",\"team\":{\"id\":\"T0TEAM\",\"domain\":\"t\"},\"user\":{\"id\":\""
            + user
            + "\",\"team_id\":\"T0TEAM\"},\"api_app_id\":\"A0APP\",\"token\":\"legacy\",\"trigger_id\":\"t-"
            + UUID.randomUUID()
            + "\",\"view\":{\"id\":\"V"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\",\"type\":\"modal\",\"callback_id\":\"intent_run\",\"hash\":\"h1\",\"private_metadata\":"
            + quote(privateMetadata)
            + ",\"state\":{\"values\":"
            + stateValues
            + "}}}";
    return post(
        "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8), Instant.now(), null);
  }

  /** Posts a body signed at {@code at}; {@code signatureOverride} replaces the signature. */
  public HttpResponse<String> post(String body, Instant at, String signatureOverride)
      throws Exception {
    String ts = String.valueOf(at.getEpochSecond());
    String signature = signatureOverride != null ? signatureOverride : sign(ts, body);
    return http.send(request(body, ts, signature), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String body, String ts, String signature) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Slack-Request-Timestamp", ts)
        .header("X-Slack-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  public HttpResponse<String> get(String fullUrl) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(fullUrl)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String sign(String ts, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "v0="
        + HexFormat.of()
            .formatHex(mac.doFinal(("v0:" + ts + ":" + body).getBytes(StandardCharsets.UTF_8)));
  }

  private String signature(String ts, String body) {
    try {
      return sign(ts, body);
    } catch (Exception e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
