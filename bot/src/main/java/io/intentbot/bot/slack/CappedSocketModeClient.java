package io.intentbot.bot.slack;

import com.slack.api.Slack;
import com.slack.api.socket_mode.impl.SocketModeClientJavaWSImpl;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack SDK's Java-WebSocket Socket Mode client, except that no message from Slack larger than
 * {@code maxBytes} is read. The SDK opens its websocket with Java-WebSocket's default {@link
 * Draft_6455}, which takes frames and messages of any size; here the draft is given the cap, so a
 * frame whose header declares more is refused before any of its payload is buffered, and a message
 * sent in fragments is refused once its fragments add up to more. Either way the connection is
 * closed with 1009 ("message too big", RFC 6455 7.4.1), one warning is logged, and a new connection
 * is opened at once (through the SDK's session monitor, which otherwise reopens a lost connection
 * at its next check, every 5 s).
 *
 * <p>The SDK keeps its websocket in a private field that exactly the five methods overridden here
 * use (slack-api-client 1.45.4); the parent's own websocket is built but never connected. The
 * message queue, its processing threads, the session monitor and the listeners are the SDK's.
 * Proxies are not supported (the bot configures none).
 */
final class CappedSocketModeClient extends SocketModeClientJavaWSImpl {

  private static final Logger log = LoggerFactory.getLogger(CappedSocketModeClient.class);
  private static final Duration PONG_WAIT = Duration.ofSeconds(3);

  private final int maxBytes;
  private volatile Session session;

  /**
   * @param url the websocket URL from {@code apps.connections.open}
   * @param maxBytes the largest message taken from Slack, in bytes
   */
  CappedSocketModeClient(Slack slack, String appToken, String url, int maxBytes)
      throws URISyntaxException {
    super(slack, appToken, url);
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
    this.session = new Session(getWssUri());
  }

  @Override
  public void connect() {
    session.connect();
  }

  /** Whether the websocket is open and Slack answers a ping within 3 s. */
  @Override
  public boolean verifyConnection() {
    return session.answersPing(PONG_WAIT);
  }

  @Override
  public void disconnect() {
    setAutoReconnectEnabled(false);
    session.close();
  }

  /** Asks Slack for a new URL, connects to it, then closes the old connection. */
  @Override
  public void connectToNewEndpoint() throws IOException {
    URI uri;
    try {
      uri = new URI(getSlack().issueSocketModeUrl(getAppToken()));
    } catch (URISyntaxException e) {
      throw new IOException("Slack gave a Socket Mode URL that is not one", e);
    }
    synchronized (this) {
      setWssUri(uri);
      Session old = session;
      session = new Session(uri);
      session.connect();
      old.close();
    }
  }

  @Override
  public void sendWebSocketMessage(String message) {
    session.send(message);
  }

  /**
   * The session monitor's check, now rather than at its next turn (on its thread, so never beside
   * it): after refusing a message the bot need not stay deaf for up to 5 s.
   */
  private void reconnectNow() {
    getSessionMonitorExecutor()
        .ifPresent(
            monitor -> {
              try {
                monitor.execute(this::maintainCurrentSession);
              } catch (RejectedExecutionException e) {
                // the client is closing
              }
            });
  }

  /** One websocket to Slack, on a draft capped at {@code maxBytes}. */
  private final class Session extends WebSocketClient {

    private volatile CompletableFuture<Void> pong = new CompletableFuture<>();

    Session(URI uri) {
      super(uri, new Draft_6455(List.of(), maxBytes));
    }

    boolean answersPing(Duration wait) {
      if (!isOpen()) {
        return false;
      }
      CompletableFuture<Void> answer = new CompletableFuture<>();
      pong = answer;
      try {
        sendPing();
        answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (WebsocketNotConnectedException | ExecutionException | TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      log.debug("Socket Mode connection open");
    }

    @Override
    public void onMessage(String message) {
      enqueueMessage(message);
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata frame) {
      pong.complete(null);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      log.debug("Socket Mode connection closed ({} {}, by Slack: {})", code, reason, remote);
      if (code >= 1000) {
        runCloseListenersAndAutoReconnectAsNecessary(code, reason);
      }
      if (code == CloseFrame.TOOBIG && !remote) {
        reconnectNow();
      }
    }

    /** Java-WebSocket closes for an over-cap message without calling {@link #onError}. */
    @Override
    public void onCloseInitiated(int code, String reason) {
      if (code == CloseFrame.TOOBIG) {
        log.warn(
            "Slack sent a Socket Mode message over {} bytes: refused unread, the connection is"
                + " closed with 1009 (message too big) and will be reopened",
            maxBytes);
      }
    }

    @Override
    public void onError(Exception e) {
      log.warn("Socket Mode connection error: {}", e.toString());
      runErrorListeners(e);
    }
  }
}
