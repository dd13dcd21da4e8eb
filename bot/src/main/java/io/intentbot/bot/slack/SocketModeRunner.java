package io.intentbot.bot.slack;

import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import io.intentbot.engine.Engine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code intentbot socket}: the same Slack app over Socket Mode (a websocket the bot opens to
 * Slack, for teams without a public URL). Needs {@code SLACK_BOT_TOKEN} and {@code
 * SLACK_APP_TOKEN}. When Slack cannot be reached at start it keeps trying with back-off (doubling
 * from half a second up to 30 s); a token Slack refuses is {@link SlackTokenRejected}. Messages
 * from Slack over {@link HttpLimits#MAX_BODY} are refused unread ({@link CappedSocketModeClient}).
 *
 * <pre>{@code
 * try (SocketModeRunner runner = new SocketModeRunner(engine, settings, outbox)) {
 *   runner.start();
 *   Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class SocketModeRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SocketModeRunner.class);

  private final SlackBot bot;
  private final SlackSettings settings;
  private SocketModeApp socket;
  private SocketModeClient client;
  private ScheduledExecutorService retries;
  private volatile Consumer<SlackTokenRejected> onRejected = e -> {};
  private volatile boolean stopped;
  private boolean warned;

  /**
   * @throws IllegalStateException naming the variables to set when credentials are missing
   */
  public SocketModeRunner(Engine engine, SlackSettings settings, OutboxStore outbox) {
    this(engine, settings, outbox, Clock.systemUTC());
  }

  /**
   * As above, the bot's outbox poster on {@code clock}.
   *
   * @throws IllegalStateException naming the variables to set when credentials are missing
   */
  public SocketModeRunner(Engine engine, SlackSettings settings, OutboxStore outbox, Clock clock) {
    var missing = settings.missingForSocketMode();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(SlackSettings.refusal(missing, "Socket Mode"));
    }
    this.settings = settings;
    this.bot = new SlackBot(engine, settings, outbox, true, clock);
  }

  public SlackBot bot() {
    return bot;
  }

  /** Who hears of a token Slack refuses after start (at start, {@link #start} throws). */
  public SocketModeRunner onTokenRejected(Consumer<SlackTokenRejected> listener) {
    this.onRejected = listener;
    bot.onTokenRejected(listener);
    return this;
  }

  /** Whether the websocket is open (false while Slack cannot be reached). */
  public synchronized boolean connected() {
    return socket != null;
  }

  /**
   * Connects ({@code apps.connections.open}, then the websocket) and returns; when Slack cannot be
   * reached, returns at once and keeps trying in the background.
   *
   * @throws SlackTokenRejected when Slack refuses a token
   */
  public synchronized void start() throws Exception {
    bot.start();
    if (!connect()) {
      retries =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "socket-mode-retry");
                t.setDaemon(true);
                return t;
              });
      retry(Duration.ofMillis(500));
    }
  }

  /** One attempt; false when Slack could not be reached (said in one line). */
  private synchronized boolean connect() throws Exception {
    if (stopped) {
      return true;
    }
    try {
      // Asked here, so that a failure to reach Slack or a refused token is this call's exception.
      com.slack.api.Slack slack = bot.app().slack();
      String url = slack.issueSocketModeUrl(settings.appToken());
      CappedSocketModeClient client =
          new CappedSocketModeClient(slack, settings.appToken(), url, HttpLimits.MAX_BODY);
      client.addWebSocketMessageListener(new SocketModeDispatch(bot.app(), client));
      SocketModeApp app = new SocketModeApp(client, bot.app());
      try {
        app.startAsync();
      } catch (Exception e) {
        client.close();
        throw e;
      }
      socket = app;
      this.client = client;
      return true;
    } catch (java.io.IOException e) {
      if (!warned) {
        warned = true;
        log.warn(
            "Slack is unreachable for Socket Mode ({}): trying again with back-off", e.toString());
      } else {
        log.debug("Slack still unreachable for Socket Mode ({})", e.toString());
      }
      return false;
    } catch (IllegalStateException e) {
      String message = String.valueOf(e.getMessage());
      for (String error : SlackAuth.REFUSED) {
        if (message.contains(error)) {
          throw new SlackTokenRejected("SLACK_APP_TOKEN", error);
        }
      }
      log.warn("Socket Mode could not connect ({}): trying again with back-off", message);
      return false;
    }
  }

  private void retry(Duration delay) {
    retries.schedule(
        () -> {
          try {
            if (connect()) {
              log.info("intentbot connected to Slack over Socket Mode");
              return;
            }
          } catch (SlackTokenRejected e) {
            log.error("intentbot: {}", e.getMessage());
            onRejected.accept(e);
            return;
          } catch (Exception e) {
            log.debug("Socket Mode connect failed", e);
          }
          Duration next = delay.multipliedBy(2);
          retry(next.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : next);
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    stopped = true;
    if (retries != null) {
      retries.shutdownNow();
    }
    try {
      if (socket != null) {
        socket.close();
        socket = null;
        client.close(); // its message and session-monitor threads: SocketModeApp leaves them
      }
    } catch (Exception e) {
      // closing anyway
    }
    bot.close();
  }

  @Override
  public void close() {
    stop();
  }
}
