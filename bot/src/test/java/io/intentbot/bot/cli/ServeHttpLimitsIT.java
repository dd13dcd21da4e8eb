package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} as a real process on loopback, attacked as issue 13 did: an oversized
 * unsigned POST is refused with 413 before its body is read, a flood of slow connections cannot
 * stop {@code /healthz} from answering, a connection that never finishes its headers is closed, a
 * connection serves a bounded number of requests, and the health connector answers while the main
 * one is at its connection cap. Loops are bounded; nothing asserts how fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeHttpLimitsIT {

  private static final int CAP = 300;

  @TempDir static Path dir;
  FakeSlack slack;
  Process serve;
  int port;
  final List<Socket> sockets = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    slack = new FakeSlack();
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.environment().put("INTENTBOT_HTTP_MAX_CONNECTIONS", String.valueOf(CAP));
    builder.environment().put("INTENTBOT_HEALTH_PORT", "0");
    serve = builder.start();
    port = ServeProcess.awaitPort(serve, dir);
  }

  /** The health connector's port, as serve logs it. */
  private int healthPort() throws Exception {
    Pattern health = Pattern.compile("/healthz also on port (\\d+)");
    Matcher m = health.matcher(Files.readString(ServeProcess.log(dir)));
    assertThat(m.find()).as("serve says where the health connector listens").isTrue();
    return Integer.parseInt(m.group(1));
  }

  @AfterEach
  void closeSockets() {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    sockets.clear();
  }

  @AfterAll
  void stop() {
    if (serve != null) {
      serve.destroyForcibly();
    }
    slack.close();
  }

  private Socket open(int at) throws IOException {
    Socket socket = new Socket("127.0.0.1", at);
    sockets.add(socket);
    return socket;
  }

  private int health(int at) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + "/healthz"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String statusLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).strip();
  }

  @Test
  void anOversizedUnsignedPostIs413BeforeItsBodyIsSent() throws Exception {
    Socket socket = open(port);
    // Well short of the 30 s idle timeout, which is when a 413 waiting for the body would come.
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 157286400\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    assertThat(statusLine(socket.getInputStream()))
        .as("answered with not one byte of the 150 MB sent")
        .startsWith("HTTP/1.1 413");
    assertThat(serve.isAlive()).isTrue();
    assertThat(health(port)).isEqualTo(200);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    Socket socket = open(port);
    socket.setSoTimeout(60_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    byte[] chunk = "a".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 17; i++) {
      out.write(("4000\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
  }

  @Test
  void healthzAnswersThroughAFloodOf250SlowBodies() throws Exception {
    List<OutputStream> flood = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      Socket socket = open(port);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Content-Type: application/x-www-form-urlencoded\r\n"
                  + "Content-Length: 100000\r\n\r\ntoken=")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      flood.add(out);
    }
    CompletableFuture<Integer> answer =
        http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding())
            .thenApply(HttpResponse::statusCode);
    // The flood goes on (a byte per connection each round) until /healthz answers, at most 40
    // rounds: a server whose threads the flood holds never answers within them.
    for (int round = 0; round < 40 && !answer.isDone(); round++) {
      for (OutputStream out : flood) {
        try {
          out.write('a');
          out.flush();
        } catch (IOException e) {
          // the server cut this one off: so much the better
        }
      }
      Thread.sleep(500);
    }
    assertThat(answer).as("/healthz answered while the flood went on").isDone();
    assertThat(answer.get()).isEqualTo(200);
  }

  @Test
  void aConnectionThatNeverFinishesItsHeadersIsClosed() throws Exception {
    Socket socket = open(port);
    socket.setSoTimeout(1000);
    OutputStream out = socket.getOutputStream();
    out.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    boolean closed = false;
    // A header line a second keeps an idle timeout from firing; 40 rounds is well past the
    // server's 10 s for the first request's headers.
    for (int round = 0; round < 40 && !closed; round++) {
      try {
        out.write(("X-Slow-" + round + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        closed = socket.getInputStream().read() == -1;
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        closed = true;
      }
    }
    assertThat(closed).as("closed by the server").isTrue();
  }

  @Test
  void aConnectionServesAtMost100Requests() throws Exception {
    Socket socket = open(port);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    int served = 0;
    boolean closeAsked = false;
    for (int i = 0; i < 150 && !closeAsked; i++) {
      out.write(
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = statusLine(in);
      if (status.isEmpty()) {
        break;
      }
      assertThat(status).startsWith("HTTP/1.1 200");
      served++;
      int length = 0;
      for (String header = statusLine(in); !header.isEmpty(); header = statusLine(in)) {
        if (header.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(15).strip());
        }
        if (header.equalsIgnoreCase("Connection: close")) {
          closeAsked = true;
        }
      }
      in.readNBytes(length);
    }
    assertThat(served).isEqualTo(100);
    assertThat(closeAsked).isTrue();
    assertThat(in.read()).as("then closed").isEqualTo(-1);
  }

  @Test
  void theHealthConnectorAnswersWhileTheMainOneIsAtItsCap() throws Exception {
    for (int i = 0; i < CAP + 10; i++) {
      open(port);
    }
    assertThat(health(healthPort())).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(60))
        .alias("idle connections are dropped at the cap, so the main port answers again")
        .ignoreExceptions()
        .until(() -> health(port) == 200);
  }
}
