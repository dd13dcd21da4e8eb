package io.intentbot.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack's Web API played by WireMock for the benchmarks: answers {@code auth.test}, {@code
 * chat.postMessage} (a new ts each time), {@code chat.update}, {@code chat.postEphemeral} and
 * response URLs. With a {@code messageInterval}, {@code chat.postMessage} and {@code chat.update}
 * answer HTTP 429 with {@code Retry-After: 1} to a call that comes sooner than that after the last
 * one accepted, as Slack does for about one message per second per channel.
 */
final class FakeSlackApi implements AutoCloseable {

  /** A call to a Web API method: when it came, its form fields, and whether it was accepted. */
  record Call(String method, long atNanos, Map<String, String> form, boolean accepted) {}

  private final WireMockServer server;
  private final RateLimit limit;

  FakeSlackApi(Duration messageInterval) {
    this.limit = new RateLimit(messageInterval);
    server =
        new WireMockServer(
            options()
                .dynamicPort()
                .containerThreads(40)
                .asynchronousResponseEnabled(false)
                .extensions(limit));
    server.start();
    server.stubFor(
        post(urlEqualTo("/api/auth.test"))
            .willReturn(
                okJson(
                    "{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"t\",\"user\":\"intentbot\","
                        + "\"team_id\":\"T0TEAM\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}")));
    for (String method : List.of("chat.postMessage", "chat.update")) {
      server.stubFor(
          post(urlEqualTo("/api/" + method))
              .willReturn(okJson("{\"ok\":true}").withTransformers(RateLimit.NAME)));
    }
    server.stubFor(post(urlEqualTo("/api/chat.postEphemeral")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(
        post(urlPathMatching("/response/.*"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  String apiUrl() {
    return server.baseUrl() + "/api/";
  }

  String responseUrl(String name) {
    return server.baseUrl() + "/response/" + name;
  }

  /** Calls to {@code chat.postMessage} and {@code chat.update}, oldest first. */
  List<Call> messageCalls() {
    synchronized (limit.calls) {
      return new ArrayList<>(limit.calls);
    }
  }

  /** Forgets every recorded request (keeps the journal small between phases). */
  void resetRequests() {
    server.resetRequests();
    synchronized (limit.calls) {
      limit.calls.clear();
    }
  }

  @Override
  public void close() {
    server.stop();
  }

  static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body == null || body.isBlank()) {
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  /** Lets one message through per interval; records every call. */
  private static final class RateLimit implements ResponseDefinitionTransformerV2 {
    static final String NAME = "slack-rate-limit";
    private final long intervalNanos;
    private final AtomicLong lastAccepted = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong ts = new AtomicLong();
    final List<Call> calls = new ArrayList<>();

    RateLimit(Duration interval) {
      this.intervalNanos = interval.toNanos();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      long now = System.nanoTime();
      String url = event.getRequest().getUrl();
      String method = url.substring(url.lastIndexOf('/') + 1);
      boolean accepted;
      synchronized (this) {
        accepted = intervalNanos <= 0 || now - lastAccepted.get() >= intervalNanos;
        if (accepted) {
          lastAccepted.set(now);
        }
      }
      synchronized (calls) {
        calls.add(new Call(method, now, form(event.getRequest().getBodyAsString()), accepted));
      }
      if (!accepted) {
        return new ResponseDefinitionBuilder()
            .withStatus(429)
            .withHeader("Retry-After", "1")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"ok\":false,\"error\":\"ratelimited\"}")
            .build();
      }
      String stamp = "1700000000." + String.format("%06d", ts.incrementAndGet() % 1_000_000);
      return new ResponseDefinitionBuilder()
          .withStatus(200)
          .withHeader("Content-Type", "application/json")
          .withBody("{\"ok\":true,\"channel\":\"C0BENCH\",\"ts\":\"" + stamp + "\"}")
          .build();
    }
  }
}
