package io.intentbot.bot.slack;

import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import io.intentbot.engine.Engine;
import java.time.Clock;

/**
 * {@code intentbot socket}: the same Slack app over Socket Mode (a websocket the bot opens to
 * Slack, for teams without a public URL). Needs {@code SLACK_BOT_TOKEN} and {@code
 * SLACK_APP_TOKEN}.
 *
 * <pre>{@code
 * try (SocketModeRunner runner = new SocketModeRunner(engine, settings, outbox)) {
 *   runner.start();
 *   Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class SocketModeRunner implements AutoCloseable {

  private final SlackBot bot;
  private final SlackSettings settings;
  private SocketModeApp socket;

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

  /** Connects ({@code apps.connections.open}, then the websocket) and returns. */
  public synchronized void start() throws Exception {
    bot.start();
    socket =
        new SocketModeApp(settings.appToken(), bot.app(), SocketModeClient.Backend.JavaWebSocket);
    socket.startAsync();
  }

  public synchronized void stop() {
    try {
      if (socket != null) {
        socket.close();
        socket = null;
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
