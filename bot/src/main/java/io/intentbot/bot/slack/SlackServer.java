package io.intentbot.bot.slack;

import com.slack.api.bolt.servlet.SlackAppServlet;
import io.intentbot.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * {@code intentbot serve}: Slack over HTTP. {@code POST /slack/events} takes slash commands and
 * interactivity (signatures verified by Bolt: HMAC-SHA256 over {@code v0:timestamp:body}, stale
 * timestamps refused with 401), {@code GET /healthz} answers {@code ok}, {@code GET /metrics} the
 * Prometheus text.
 *
 * <pre>{@code
 * SlackSettings settings = SlackSettings.from(System.getenv(), engine.config());
 * try (OutboxStore outbox = OutboxStore.open(dbUrl, dbUser, dbPassword);
 *     SlackServer server = new SlackServer(engine, settings, outbox)) {
 *   int port = server.start(3000);
 *   server.join();
 * }
 * }</pre>
 */
public final class SlackServer implements AutoCloseable {

  public static final String EVENTS_PATH = "/slack/events";

  private final SlackBot bot;
  private final Clock clock;
  private Server server;

  /**
   * @throws IllegalStateException naming the variables to set when credentials are missing
   */
  public SlackServer(Engine engine, SlackSettings settings, OutboxStore outbox) {
    this(engine, settings, outbox, Clock.systemUTC());
  }

  /**
   * As above, on {@code clock}: the bot's outbox poster and the signature filter's timestamp check
   * run on it.
   *
   * @throws IllegalStateException naming the variables to set when credentials are missing
   */
  public SlackServer(Engine engine, SlackSettings settings, OutboxStore outbox, Clock clock) {
    var missing = settings.missingForHttp();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(SlackSettings.refusal(missing, "the Slack server"));
    }
    this.clock = clock;
    this.bot = new SlackBot(engine, settings, outbox, false, clock);
  }

  public SlackBot bot() {
    return bot;
  }

  private volatile String metricsToken;

  /**
   * Requires {@code Authorization: Bearer <token>} on {@code /metrics} from the next {@link
   * #start}; null or blank leaves it open.
   */
  public SlackServer metricsToken(String token) {
    this.metricsToken = token == null || token.isBlank() ? null : token.strip();
    return this;
  }

  /** Starts listening on {@code port} (0 for any free one); returns the port. */
  public synchronized int start(int port) throws Exception {
    bot.start();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new SlackAppServlet(bot.app())), EVENTS_PATH);
    context.addFilter(
        new FilterHolder(
            new SignatureFilter(bot.settings().signingSecret(), Duration.ofMinutes(5), clock)),
        EVENTS_PATH,
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(
        new ServletHolder(new TextServlet(bot.health()::report, "text/plain")), "/healthz");
    context.addServlet(
        new ServletHolder(
            new TextServlet(bot.metrics()::scrape, "text/plain; version=0.0.4; charset=utf-8")),
        "/metrics");
    if (metricsToken != null) {
      context.addFilter(
          new FilterHolder(new MetricsAccess(metricsToken)),
          "/metrics",
          EnumSet.of(DispatcherType.REQUEST));
    }
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    Server s = server;
    if (s != null) {
      s.join();
    }
  }

  public synchronized void stop() {
    try {
      if (server != null) {
        server.stop();
        server = null;
      }
    } catch (Exception e) {
      // stopping anyway
    }
    bot.close();
  }

  @Override
  public void close() {
    stop();
  }

  private static final class TextServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient java.util.function.Supplier<String> body;
    private final String contentType;

    TextServlet(java.util.function.Supplier<String> body, String contentType) {
      this.body = body;
      this.contentType = contentType;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setStatus(200);
      resp.setContentType(contentType);
      resp.getOutputStream().write(body.get().getBytes(StandardCharsets.UTF_8));
    }
  }
}
