package io.intentbot.bot.slack;

import com.slack.api.bolt.servlet.SlackAppServlet;
import io.intentbot.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.BooleanSupplier;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code intentbot serve}: Slack over HTTP. {@code POST /slack/events} takes slash commands and
 * interactivity (signatures verified by Bolt: HMAC-SHA256 over {@code v0:timestamp:body}, stale
 * timestamps refused with 401), {@code GET /healthz} answers as {@link HealthReport} says, {@code
 * GET /metrics} the Prometheus text. What it takes from the network is bounded by {@link
 * HttpLimits} (413 for bodies over 256 KB, before they are read).
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
  private HttpLimits limits = HttpLimits.DEFAULTS;
  private Duration unreadyAfter = Duration.ofMinutes(2);
  private BooleanSupplier database;
  private int healthPort = -1;

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
    this.database = new DatabaseProbe(engine, clock);
  }

  /** The limits on what the server takes from the network, from the next {@link #start}. */
  public SlackServer limits(HttpLimits limits) {
    this.limits = limits;
    return this;
  }

  /** How long Slack may stay unreachable before {@code /healthz} answers 503 (two minutes). */
  public SlackServer unreadyAfter(Duration unreadyAfter) {
    this.unreadyAfter = unreadyAfter;
    return this;
  }

  /** The port of the health connector ({@link HttpLimits#healthPort}), once started; else -1. */
  public int healthPort() {
    return healthPort;
  }

  /** The answer {@code /healthz} gives now. */
  public HealthReport.Answer health() {
    Engine engine = bot.engine();
    return new HealthReport(
            bot.health(),
            database,
            () -> engine.catalog().problems().stream().map(Object::toString).toList(),
            clock,
            unreadyAfter)
        .answer();
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
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("http");
    server = new Server(threads);
    ServerConnector connector = connector("main", port, limits.idleTimeout());
    Scheduler scheduler = connector.getScheduler();
    connector.addBean(new HeaderDeadline(limits.headerTimeout(), scheduler));
    ConnectionLimit connections = new ConnectionLimit(limits.maxConnections(), connector);
    connections.setIdleTimeout(1000);
    server.addBean(connections);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setVirtualHosts(new String[] {"@main"});
    context.addServlet(new ServletHolder(new SlackAppServlet(bot.app())), EVENTS_PATH);
    context.addFilter(
        new FilterHolder(new BusyGate(limits.concurrentEvents())),
        EVENTS_PATH,
        EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(
        new FilterHolder(
            new SignatureFilter(
                bot.settings().signingSecret(), Duration.ofMinutes(5), clock, limits.maxBody())),
        EVENTS_PATH,
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HealthServlet(this::health)), "/healthz");
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
    ContextHandlerCollection contexts = new ContextHandlerCollection(context);
    ServerConnector health = null;
    if (limits.healthPort() != null) {
      // Its own threads and connections: a flood on the main port cannot starve the probes.
      QueuedThreadPool healthThreads = new QueuedThreadPool(8, 2);
      healthThreads.setName("http-health");
      health =
          new ServerConnector(
              server, healthThreads, null, null, 1, 1, new HttpConnectionFactory(httpConfig()));
      health.setName("health");
      health.setPort(limits.healthPort());
      health.setIdleTimeout(limits.idleTimeout().toMillis());
      server.addConnector(health);
      ServletContextHandler probes = new ServletContextHandler();
      probes.setVirtualHosts(new String[] {"@health"});
      probes.addServlet(new ServletHolder(new HealthServlet(this::health)), "/healthz");
      contexts.addHandler(probes);
    }
    server.setHandler(new RequestsPerConnection(limits.requestsPerConnection(), contexts));
    // Bound here, so that a port in use is an exception for the caller to word, not a logged trace.
    connector.open();
    if (health != null) {
      health.open();
    }
    server.start();
    healthPort = health == null ? -1 : health.getLocalPort();
    return connector.getLocalPort();
  }

  private ServerConnector connector(String name, int port, Duration idleTimeout) {
    ServerConnector connector =
        new ServerConnector(server, new HttpConnectionFactory(httpConfig()));
    connector.setName(name);
    connector.setPort(port);
    connector.setIdleTimeout(idleTimeout.toMillis());
    return connector;
  }

  private static HttpConfiguration httpConfig() {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(16 * 1024);
    // A body that trickles in slower than this is cut off (408) instead of holding its thread.
    http.setMinRequestDataRate(1024);
    // Dispatched with its headers: Jetty 9.4 otherwise waits for the first body bytes (or the idle
    // timeout) before any filter runs, so an oversized Content-Length got its 413 only 30 s later.
    http.setDelayDispatchUntilContent(false);
    return http;
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

  /** Closes a connection that has not sent its first request's headers in time (slow loris). */
  private static final class HeaderDeadline implements Connection.Listener {
    private final Duration timeout;
    private final Scheduler scheduler;

    HeaderDeadline(Duration timeout, Scheduler scheduler) {
      this.timeout = timeout;
      this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
      if (connection instanceof HttpConnection http) {
        scheduler.schedule(
            () -> {
              if (http.getHttpChannel().getRequests() == 0 && http.getEndPoint().isOpen()) {
                http.getEndPoint().close();
              }
            },
            timeout.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onClosed(Connection connection) {}
  }

  /** Asks the client to close the connection after its {@code max}th request. */
  private static final class RequestsPerConnection extends HandlerWrapper {
    private final int max;

    RequestsPerConnection(int max, org.eclipse.jetty.server.Handler handler) {
      this.max = max;
      setHandler(handler);
    }

    @Override
    public void handle(
        String target, Request base, HttpServletRequest request, HttpServletResponse response)
        throws IOException, javax.servlet.ServletException {
      if (base.getHttpChannel().getRequests() >= max) {
        response.setHeader("Connection", "close");
      }
      super.handle(target, base, request, response);
    }
  }

  /** Whether the audit database answers, asked at most once a second. */
  private static final class DatabaseProbe implements BooleanSupplier {
    private final Engine engine;
    private final Clock clock;
    private java.time.Instant asked = java.time.Instant.MIN;
    private boolean up = true;

    DatabaseProbe(Engine engine, Clock clock) {
      this.engine = engine;
      this.clock = clock;
    }

    @Override
    public synchronized boolean getAsBoolean() {
      java.time.Instant now = clock.instant();
      if (Duration.between(asked, now).compareTo(Duration.ofSeconds(1)) >= 0
          || now.isBefore(asked)) {
        try {
          engine.history(null, 1);
          up = true;
        } catch (RuntimeException e) {
          up = false;
        }
        asked = now;
      }
      return up;
    }
  }

  private static final class HealthServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient java.util.function.Supplier<HealthReport.Answer> answer;

    HealthServlet(java.util.function.Supplier<HealthReport.Answer> answer) {
      this.answer = answer;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      HealthReport.Answer now = answer.get();
      resp.setStatus(now.status());
      resp.setContentType("application/json");
      resp.getOutputStream().write(now.body().getBytes(StandardCharsets.UTF_8));
    }
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
