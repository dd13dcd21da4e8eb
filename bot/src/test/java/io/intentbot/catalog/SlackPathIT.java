package io.intentbot.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy-app, migrate-schema and restore-app through Slack: signed slash commands over HTTP into
 * the running Bolt server, Slack's Web API and response URLs played by WireMock, the real catalogue
 * on the mock cluster.
 */
class SlackPathIT {

  private static final String SECRET = "catalog-signing-secret";
  private static final AtomicInteger TRIGGERS = new AtomicInteger();

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;
  private WireMockServer slackApi;
  private OutboxStore outbox;
  private SlackServer server;
  private int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    slackApi = new WireMockServer(options().dynamicPort());
    slackApi.start();
    slackApi.stubFor(
        any(anyUrl())
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"ok\":true,\"ts\":\"1700000000.000100\",\"channel\":\"C0OPS\",\"user_id\":\"U0BOT\",\"team_id\":\"T0TEAM\",\"bot_id\":\"B0BOT\"}")));
    // the bot asks whether it may post in the channel before a run is recorded (issue 15)
    slackApi.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                    "/api/conversations.info"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"ok\":true,\"channel\":{\"id\":\"C0OPS\",\"is_channel\":true,"
                            + "\"is_private\":false,\"is_member\":true}}")));
    catalog = new CatalogFixture(root);
    controllers = new Controllers(catalog.admin);
    controllers.veleroLocation();
    SlackSettings settings =
        new SlackSettings(
            "xoxb-catalog-test-token-1234",
            SECRET,
            null,
            slackApi.baseUrl() + "/api/",
            "/intent",
            List.of(),
            null,
            Duration.ofMillis(5),
            Duration.ofMillis(200),
            Duration.ofMinutes(5));
    outbox = OutboxStore.open(catalog.auditUrl(), "sa", "");
    server = new SlackServer(catalog.engine, settings, outbox);
    catalog.started();
    port = server.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
    outbox.close();
    controllers.close();
    catalog.close();
    slackApi.stop();
  }

  @Test
  void deployAppFromASlashCommand() throws Exception {
    Controllers.cleanRepository(root.resolve("repos/web"));
    controllers.readyDeployment("web-sandbox", "web", "registry.test/web:3.0.9");

    assertThat(slash("deploy-app app=web env=sandbox")).isEqualTo(200);

    RunRecord run = awaitRun("deploy-app");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.outputs()).containsEntry("version", "3.0.10");
    assertThat(run.origin()).containsEntry("source", "slack");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slackBodies().contains("3.0.10"));
  }

  @Test
  void migrateSchemaFromASlashCommand() throws Exception {
    assertThat(slash("migrate-schema app=web env=sandbox")).isEqualTo(200);

    RunRecord run = awaitRun("migrate-schema");
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.outputs()).containsEntry("version", "2");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slackBodies().contains("add user name"));
  }

  @Test
  void restoreAppRefusesABadBackupInTheReply() throws Exception {
    controllers.backup(
        "web-old",
        "Failed",
        "web-sandbox",
        Map.of("intentbot.io/app", "web", "intentbot.io/environment", "sandbox"));

    assertThat(slash("restore-app app=web env=sandbox backup=web-old")).isEqualTo(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slackBodies().contains("backup web-old is Failed, not Completed"));
    assertThat(catalog.engine.history("restore-app", 10)).isEmpty();
    assertThat(controllers.all(Controllers.RESTORES)).isEmpty();
  }

  @Test
  void restoreAppInProductionShowsTheBackupsContentsInTheApprovalMessage() throws Exception {
    controllers.serveResourceLists(
        Map.of(
            "apps/v1/Deployment", List.of("web/web"),
            "v1/Secret", List.of("web/web-db", "web/web-tls")));
    controllers.backup(
        "web-nightly",
        "Completed",
        "web",
        Map.of("intentbot.io/app", "web", "intentbot.io/environment", "production"));

    assertThat(slash("restore-app app=web env=production backup=web-nightly")).isEqualTo(200);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> slackBodies().contains("approve"));
    String message = slackBodies();
    assertThat(message)
        .contains("kinds = [apps/v1/Deployment: 1, v1/Secret: 2]")
        .contains("3 resources in 2 kinds")
        .as("the whole plan, up to the restore and its check, fits in the message")
        .contains("Restore Velero backup web-nightly")
        .contains("verify");
    assertThat(catalog.engine.history("restore-app", 1).get(0).status())
        .isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(controllers.all(Controllers.RESTORES)).isEmpty();
  }

  private RunRecord awaitRun(String intent) throws InterruptedException {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !catalog.engine.history(intent, 1).isEmpty());
    return catalog.finish(catalog.engine.history(intent, 1).get(0).id());
  }

  private String slackBodies() {
    StringBuilder all = new StringBuilder();
    slackApi
        .getAllServeEvents()
        .forEach(e -> all.append(e.getRequest().getBodyAsString()).append('\n'));
    return URLDecoder.decode(all.toString());
  }

  private int slash(String text) throws Exception {
    String body =
        form(
            Map.of(
                "command", "/intent",
                "text", text,
                "user_id", "U_DEV",
                "user_name", "dev",
                "channel_id", "C0OPS",
                "team_id", "T0TEAM",
                "trigger_id", "trigger-" + TRIGGERS.incrementAndGet(),
                "response_url", slackApi.baseUrl() + "/respond/" + TRIGGERS.get()));
    String timestamp = String.valueOf(System.currentTimeMillis() / 1000);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature =
        "v0="
            + HexFormat.of()
                .formatHex(
                    mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SlackServer.EVENTS_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static String form(Map<String, String> fields) {
    StringBuilder out = new StringBuilder();
    fields.forEach(
        (k, v) ->
            out.append(out.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static final class URLDecoder {
    static String decode(String text) {
      try {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return text;
      }
    }
  }
}
