package io.intentbot.bot.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slack's Web API played by WireMock: answers auth.test, chat.postMessage (a new ts each time),
 * chat.update, chat.postEphemeral, views.open, usergroups.users.list and response URLs, and records
 * every call.
 */
public final class FakeSlack implements AutoCloseable {

  public final WireMockServer server = new WireMockServer(options().dynamicPort());

  public FakeSlack() {
    server.start();
    server.stubFor(
        post(urlEqualTo("/api/auth.test"))
            .willReturn(
                okJson(
                    "{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"t\",\"user\":\"intentbot\","
                        + "\"team_id\":\"T0TEAM\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}")));
    stubPostMessageOk();
    server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(post(urlEqualTo("/api/chat.postEphemeral")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(post(urlEqualTo("/api/views.open")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(
        post(urlEqualTo("/api/usergroups.users.list"))
            .willReturn(okJson("{\"ok\":true,\"users\":[\"U0GROUP\"]}")));
    server.stubFor(
        post(urlPathMatching("/response/.*"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  public void stubPostMessageOk() {
    server.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .willReturn(
                okJson(
                        "{\"ok\":true,"
                            + "\"ts\":\"{{randomValue length=9 type='NUMERIC'}}.000100\"}")
                    .withTransformers("response-template")));
  }

  public String apiUrl() {
    return server.baseUrl() + "/api/";
  }

  public String responseUrl(String name) {
    return server.baseUrl() + "/response/" + name;
  }

  /** A recorded call: its form fields and the status it was answered with. */
  public record Call(
      String path, Map<String, String> form, int status, long at, String responseBody) {
    public String get(String key) {
      return form.get(key);
    }
  }

  /** Calls to a path, oldest first. */
  public List<Call> calls(String path) {
    return server.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().startsWith(path))
        .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
        .map(FakeSlack::call)
        .toList();
  }

  /** Calls to a path that were answered 200 with ok:true (or any 200 for response URLs). */
  public List<Call> okCalls(String path) {
    return calls(path).stream()
        .filter(c -> c.status() == 200 && !c.responseBody().contains("\"ok\":false"))
        .toList();
  }

  private static Call call(ServeEvent e) {
    return new Call(
        e.getRequest().getUrl(),
        form(e.getRequest().getBodyAsString()),
        e.getResponse().getStatus(),
        e.getRequest().getLoggedDate().getTime(),
        e.getResponse().getBodyAsString() == null ? "" : e.getResponse().getBodyAsString());
  }

  static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body == null || body.isBlank()) {
      return form;
    }
    if (body.strip().startsWith("{")) {
      form.put("json", body);
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

  @Override
  public void close() {
    server.stop();
  }
}
