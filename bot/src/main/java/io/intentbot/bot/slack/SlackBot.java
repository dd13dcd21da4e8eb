package io.intentbot.bot.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.methods.MethodsClient;
import io.intentbot.bot.chat.CommandHandler;
import io.intentbot.bot.chat.RunThread;
import io.intentbot.engine.Engine;
import io.intentbot.engine.leader.Leadership;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack adapter's core, shared by {@link SlackServer} (HTTP) and {@link SocketModeRunner}: the
 * Bolt app with the {@code /intent} command, the approval buttons and the parameter modal; the run
 * threads through the outbox; metrics. It assembles and starts them; what each request does is
 * {@link SlackRequests}'.
 */
public final class SlackBot implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackBot.class);

  private final Engine engine;

  /**
   * The Slack adapter's own background duty; with several replicas, one at a time does it. The
   * engine's duties (approval expiry, interrupted runs) are the engine's, whatever the adapter.
   */
  static final String OUTBOX_DUTY = "slack-outbox";

  /** How often cards are brought up to date with decisions made from a terminal. */
  static final Duration DECISIONS_ELSEWHERE_INTERVAL = Duration.ofSeconds(2);

  /** Output lines of a step shown in the thread; a step with more gets its output as a file. */
  static final int SHOWN_OUTPUT_LINES = 40;

  /** Which replica drains the outbox: the engine's leadership. */
  private final Leadership leadership;

  private final SlackSettings settings;
  private final Slack slack;
  private final MethodsClient methods;
  private final App app;
  private final SlackMetrics metrics = new SlackMetrics();
  private final SlackPoster poster;
  private final SlackHealth health;
  private final SlackAuth auth;
  private volatile java.util.function.Consumer<SlackTokenRejected> onTokenRejected = e -> {};
  private final SlackRequests requests;

  /**
   * @param engine the engine; give it {@link #groupDirectory(SlackSettings)} when building it so
   *     that approver groups are Slack user groups
   * @param settings credentials and limits
   * @param outbox the outbox in the audit database
   * @param socketMode true when requests come over Socket Mode (no signing secret needed)
   */
  public SlackBot(Engine engine, SlackSettings settings, OutboxStore outbox, boolean socketMode) {
    this(engine, settings, outbox, socketMode, Clock.systemUTC());
  }

  /**
   * As above, on {@code clock}: the outbox poster's intervals, {@code Retry-After} and back-off run
   * on it. Give the same clock to {@link #groupDirectory(SlackSettings, Clock)} and {@link
   * OutboxStore#open(String, String, String, Clock)}.
   */
  public SlackBot(
      Engine engine, SlackSettings settings, OutboxStore outbox, boolean socketMode, Clock clock) {
    this.engine = engine;
    this.settings = settings;
    this.leadership = engine.leadership();
    this.slack = slack(settings);
    this.methods = slack.methods(settings.botToken());
    AppConfig.AppConfigBuilder config =
        AppConfig.builder().singleTeamBotToken(settings.botToken()).slack(slack);
    if (socketMode) {
      config.requestVerificationEnabled(false);
      if (settings.signingSecret() != null) {
        config.signingSecret(settings.signingSecret());
      }
    } else {
      config.signingSecret(settings.signingSecret());
    }
    AppConfig appConfig = config.build();
    this.health = SlackHealth.forApp(settings);
    this.auth =
        new SlackAuth(
            methods,
            "SLACK_BOT_TOKEN",
            health,
            clock,
            Duration.ofMillis(500),
            Duration.ofSeconds(30));
    this.app = new App(appConfig, slack, middlewares(appConfig, slack, socketMode, auth));
    SlackRateLimits limits = new SlackRateLimits(clock);
    ChannelCheck channels =
        new ChannelCheck(
            methods, limits, health, settings.channels(), Duration.ofMinutes(10), clock);
    Runnable[] wake = new Runnable[1];
    this.poster =
        new SlackPoster(
            outbox,
            methods,
            settings.minPostInterval(),
            settings.maxBackoff(),
            metrics,
            () -> leadership.mayRun(OUTBOX_DUTY),
            clock,
            limits,
            health,
            new RefusedThreads(
                engine,
                outbox,
                new SlackGroupDirectory(methods, Duration.ofMinutes(1), clock, health),
                () -> wake[0].run()));
    wake[0] = poster::wake;
    engine.addListener(metrics);
    engine.addListener(
        new RunThread(
            new SlackThreadSink(outbox, poster::wake, confirmsDecisions(engine)),
            engine.config(),
            SlackText.MENTIONS,
            RunThread.fromSource("slack"),
            SHOWN_OUTPUT_LINES,
            500));
    engine.addListener(
        new OutputFiles(outbox, poster::wake, RunThread.fromSource("slack"), SHOWN_OUTPUT_LINES));
    engine.addListener(
        new BreakGlassAlerts(
            outbox,
            poster::wake,
            settings.breakGlassChannel(),
            engine.config(),
            RunThread.fromSource("slack")));
    CommandHandler handler = new CommandHandler(engine, SlackText.MENTIONS, SlackText.OUTCOMES);
    ParameterModal modal = new ParameterModal(handler.help());
    SlackReplies replies = new SlackReplies(slack, methods, metrics);
    this.requests =
        new SlackRequests(
            engine,
            settings,
            handler,
            modal,
            channels,
            metrics,
            replies,
            new ModalOpener(methods, modal, handler, limits, health, metrics, replies));
    requests.wire(app);
  }

  /**
   * Bolt's default middlewares, except that the token is checked by {@link SlackAuth} (which lets
   * the bot start while Slack cannot be reached) instead of when the app is built.
   */
  private static List<com.slack.api.bolt.middleware.Middleware> middlewares(
      AppConfig config, Slack slack, boolean socketMode, SlackAuth auth) {
    List<com.slack.api.bolt.middleware.Middleware> list = new java.util.ArrayList<>();
    list.add(new com.slack.api.bolt.middleware.builtin.SSLCheck(null));
    if (!socketMode) {
      list.add(
          new com.slack.api.bolt.middleware.builtin.RequestVerification(
              new com.slack.api.app_backend.SlackSignature.Verifier(
                  new com.slack.api.app_backend.SlackSignature.Generator(
                      config.getSigningSecret()))));
    }
    list.add(auth.authorization(config));
    list.add(
        new com.slack.api.bolt.middleware.builtin.IgnoringSelfEvents(
            slack.getConfig(), config.isIgnoringSelfAssistantMessageEventsEnabled()));
    return list;
  }

  /**
   * Where the requests acted on are remembered ({@link ReplayKeyStore}: in the audit database, so
   * that a replay to another replica or after a restart is ignored); in memory until set. Set it
   * before {@link #start}.
   */
  public SlackBot replayKeys(ReplayKeys keys) {
    requests.replayKeys(keys);
    return this;
  }

  /** Who hears of a token Slack refuses after start (at start, {@link #start} throws). */
  public SlackBot onTokenRejected(java.util.function.Consumer<SlackTokenRejected> listener) {
    this.onTokenRejected = listener;
    return this;
  }

  Engine engine() {
    return engine;
  }

  /**
   * Approve and Reject ask to confirm on destructive intents and where the environment that gates
   * the approval (the strictest the run touches: {@code copy env=sandbox from_env=production} is
   * gated by production) is protected.
   */
  static java.util.function.Predicate<io.intentbot.engine.model.RunRecord> confirmsDecisions(
      Engine engine) {
    return run ->
        (run.approvalEnvironment() != null
                && engine
                    .config()
                    .environment(run.approvalEnvironment())
                    .map(e -> e.isProtected())
                    .orElse(true))
            || engine
                .catalog()
                .find(run.intent())
                .map(i -> i.risk() == io.intentbot.engine.definition.Risk.DESTRUCTIVE)
                .orElse(false);
  }

  /** A Slack Web API client for the settings (honours {@code SLACK_API_URL}). */
  public static Slack slack(SlackSettings settings) {
    SlackConfig config = new SlackConfig();
    if (settings.apiUrl() != null) {
      config.setMethodsEndpointUrlPrefix(settings.apiUrl());
    }
    config.setPrettyResponseLoggingEnabled(false);
    // The SDK's call statistics look the team up with auth.test before every call and log each
    // failure with a stack trace; intentbot keeps its own metrics.
    config.getMethodsConfig().setStatsEnabled(false);
    return Slack.getInstance(config);
  }

  /** Approver groups as Slack user groups; pass it to {@code Engine.builder().groupDirectory}. */
  public static SlackGroupDirectory groupDirectory(SlackSettings settings) {
    return groupDirectory(settings, Clock.systemUTC());
  }

  /** As {@link #groupDirectory(SlackSettings)}, its cached members aged on {@code clock}. */
  public static SlackGroupDirectory groupDirectory(SlackSettings settings, Clock clock) {
    return new SlackGroupDirectory(
        slack(settings).methods(settings.botToken()),
        Duration.ofMinutes(1),
        clock,
        SlackHealth.forApp(settings));
  }

  public App app() {
    return app;
  }

  public SlackMetrics metrics() {
    return metrics;
  }

  public SlackSettings settings() {
    return settings;
  }

  /** Configuration problems Slack reported (for {@code /healthz}). */
  public SlackHealth health() {
    return health;
  }

  /**
   * Checks the token ({@code auth.test}; when Slack cannot be reached, the bot starts anyway and
   * keeps asking), starts delivering the outbox and starts the Bolt app. The engine is started by
   * whoever built it, once this bot's listeners are in place.
   *
   * @throws SlackTokenRejected when Slack refuses the token
   */
  public void start() {
    auth.start(e -> onTokenRejected.accept(e));
    if (engine.access().open()) {
      log.warn("no access: rules in the config: every workspace member may run every intent");
    }
    engine.followDecisionsMadeElsewhere(DECISIONS_ELSEWHERE_INTERVAL);
    app.start();
    poster.start();
    poster.wake();
  }

  @Override
  public void close() {
    requests.close();
    auth.close();
    poster.close();
    try {
      app.stop();
    } catch (Exception e) {
      log.debug("stopping the Bolt app: {}", e.toString());
    }
  }
}
