package io.intentbot.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Socket Mode against a local websocket server playing Slack, with WireMock as the Web API. */
class SocketModeIT {

  @TempDir Path dir;
  FakeSlack slack;
  FakeSocketServer socket;
  EngineFixture bed;
  OutboxStore outbox;
  SocketModeRunner runner;

  static final class FakeSocketServer extends WebSocketServer {
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile WebSocket client;

    FakeSocketServer(int port) {
      super(new InetSocketAddress("127.0.0.1", port));
      setReuseAddr(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      client = conn;
      conn.send(
          "{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"local\"},"
              + "\"connection_info\":{\"app_id\":\"A0APP\"}}");
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      received.add(message);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}
  }

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    socket = new FakeSocketServer(port);
    socket.start();
    slack = new FakeSlack();
    slack.server.stubFor(
        post(urlEqualTo("/api/apps.connections.open"))
            .willReturn(okJson("{\"ok\":true,\"url\":\"ws://127.0.0.1:" + port + "/link\"}")));
    SlackSettings settings =
        new SlackSettings(
            "xoxb-test-token-0123456789",
            null,
            "xapp-test-token-0123456789",
            slack.apiUrl(),
            "/intent",
            List.of(),
            null,
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofMillis(100));
    bed = TestIntents.engine(dir, SlackBot.groupDirectory(settings));
    bed.build();
    outbox = OutboxStore.open(bed.dbUrl(), null, null);
    runner = new SocketModeRunner(bed.engine(), settings, outbox);
    bed.started();
    runner.start();
  }

  @AfterEach
  void stop() throws Exception {
    runner.stop();
    bed.close();
    outbox.close();
    socket.stop(1000);
    slack.close();
  }

  @Test
  void slashCommandOverTheSocketIsAcknowledgedAndRun() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> socket.client != null);
    socket.client.send(
        "{\"envelope_id\":\"env-1\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
            + "\"payload\":{\"token\":\"legacy\",\"team_id\":\"T0TEAM\",\"team_domain\":\"t\","
            + "\"channel_id\":\"C0OPS\",\"channel_name\":\"ops\",\"user_id\":\"U0ALICE\","
            + "\"user_name\":\"alice\",\"command\":\"/intent\",\"text\":\"deploy-app app=web env=sandbox\","
            + "\"api_app_id\":\"A0APP\",\"response_url\":\""
            + slack.responseUrl("U0ALICE-sock")
            + "\",\"trigger_id\":\"trig-sock-1\"}}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> socket.received.stream().anyMatch(m -> m.contains("env-1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> !bed.engine().history(null, 1).isEmpty());
    RunRecord run = bed.engine().history(null, 1).get(0);
    assertThat(run.requester()).isEqualTo("U0ALICE");
    assertThat(bed.engine().awaitFinished(run.id(), Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                slack.okCalls("/api/chat.postMessage").stream()
                    .anyMatch(
                        c ->
                            c.get("thread_ts") != null && c.get("text").contains("Run succeeded")));
    assertThat(slack.calls("/api/apps.connections.open")).isNotEmpty();
  }
}
