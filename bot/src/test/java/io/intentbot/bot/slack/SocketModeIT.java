package io.intentbot.bot.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.Opcode;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
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
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      closeCodes.add(code);
    }

    /**
     * Writes {@code bytes} to {@code conn} as they are, not framed: a frame header can promise more
     * than is ever sent.
     */
    void sendRaw(WebSocket conn, ByteBuffer bytes) throws InterruptedException {
      ((WebSocketImpl) conn).outQueue.put(bytes);
      onWriteDemand(conn);
    }

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
    socket.client.send(slashCommand("env-1", "trig-sock-1", ""));
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

  /**
   * A frame whose header declares 64 MB (and only 1 KB of it sent): refused with 1009 at the
   * header, so nothing of it is buffered (without the cap the bot would wait for the rest, holding
   * a 64 MB buffer). The bot then reconnects (at once, or at the SDK session monitor's next check)
   * and an envelope of 200 KB, under the cap, is served.
   */
  @Test
  void aFrameOverTheCapIsRefusedAtItsHeaderAndTheBotReconnectsAndServesTheNextEnvelope()
      throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> socket.client != null);
    WebSocket first = socket.client;
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CappedSocketModeClient.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    log.addAppender(logs);
    ByteBuffer frame = ByteBuffer.allocate(10 + 1024);
    frame.put((byte) 0x81).put((byte) 127).putLong(64L << 20).put(new byte[1024]).flip();
    socket.sendRaw(first, frame);

    await().atMost(Duration.ofSeconds(10)).until(() -> socket.closeCodes.contains(1009));
    assertThat(first.isOpen()).isFalse();
    log.detachAppender(logs);
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "Slack sent a Socket Mode message over 262144 bytes: refused unread, the connection is"
                + " closed with 1009 (message too big) and will be reopened");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> socket.client != first && socket.client.isOpen());
    String padded = slashCommand("env-2", "trig-sock-2", "x".repeat(200 * 1024));
    assertThat(padded.length()).isBetween(200 * 1024, HttpLimits.MAX_BODY);
    socket.client.send(padded);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> socket.received.stream().anyMatch(m -> m.contains("env-2")));
  }

  /** Fragments each under the cap that add up to more: refused with 1009 at the one that tips. */
  @Test
  void aMessageInFragmentsOverTheCapIsRefused() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> socket.client != null);
    WebSocket conn = socket.client;
    byte[] fragment = new byte[100 * 1024];
    java.util.Arrays.fill(fragment, (byte) ' ');
    conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(fragment), false);
    conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(fragment), false);
    conn.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap(fragment), true);
    await().atMost(Duration.ofSeconds(10)).until(() -> socket.closeCodes.contains(1009));
    assertThat(conn.isOpen()).isFalse();
  }

  /** A slash command envelope; {@code padding} goes into a field Slack's SDK ignores. */
  private String slashCommand(String envelope, String trigger, String padding) {
    return "{\"envelope_id\":\""
        + envelope
        + "\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
        + "\"payload\":{\"token\":\"legacy\",\"team_id\":\"T0TEAM\",\"team_domain\":\"t\","
        + "\"channel_id\":\"C0OPS\",\"channel_name\":\"ops\",\"user_id\":\"U0ALICE\","
        + "\"user_name\":\"alice\",\"command\":\"/intent\",\"text\":\"deploy-app app=web env=sandbox\","
        + "\"api_app_id\":\"A0APP\",\"response_url\":\""
        + slack.responseUrl("U0ALICE-" + envelope)
        + "\",\"trigger_id\":\""
        + trigger
        + "\",\"padding\":\""
        + padding
        + "\"}}";
  }
}
