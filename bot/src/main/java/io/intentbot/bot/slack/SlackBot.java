package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.methods.MethodsClient;
import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.Command;
import io.intentbot.bot.chat.CommandHandler;
import io.intentbot.bot.chat.CommandParser;
import io.intentbot.bot.chat.Reply;
import io.intentbot.bot.chat.RunThread;
import io.intentbot.engine.Engine;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.engine.model.Decision;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack adapter's core, shared by {@link SlackServer} (HTTP) and {@link SocketModeRunner}: the
 * Bolt app with the {@code /intent} command, the approval buttons and the parameter modal; the run
 * threads through the outbox; metrics. Every handler acknowledges at once and works afterwards on
 * its own threads; a request delivered twice (same trigger id) is acted on once.
 */
public final class SlackBot implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackBot.class);
  private static final ObjectMapper JSON = Json.MAPPER;

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
  private final CommandHandler handler;
  private final ParameterModal modal;
  private final SlackMetrics metrics = new SlackMetrics();
  private final SlackPoster poster;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final ChannelCheck channels;
  private volatile ReplayKeys seen = new RecentKeys(10_000);
  private final SlackAuth auth;
  private volatile java.util.function.Consumer<SlackTokenRejected> onTokenRejected = e -> {};
  private final ExecutorService workers = Executors.newFixedThreadPool(8, daemon("slack-work"));

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
    this.handler = new CommandHandler(engine, SlackText.MENTIONS, SlackText.OUTCOMES);
    this.modal = new ParameterModal(handler.help());
    this.limits = new SlackRateLimits(clock);
    this.channels =
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
    wire();
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
    this.seen = keys;
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

  private void wire() {
    app.command(
        settings.command(),
        (req, ctx) -> {
          long started = System.nanoTime();
          var p = req.getPayload();
          if (!settings.allows(p.getChannelId())) {
            return ctx.ack("intentbot is not enabled in this channel.");
          }
          ChatUser who = new ChatUser(p.getUserId(), p.getChannelId(), "slack");
          String text = SlackText.unescape(p.getText());
          RequestHeaders headers = req.getHeaders();
          workers.execute(
              () -> {
                if (first(headers, "command:" + p.getTriggerId())) {
                  command(text, who, p.getTriggerId(), p.getResponseUrl());
                }
              });
          metrics.ack(Duration.ofNanos(System.nanoTime() - started));
          return ctx.ack();
        });
    app.blockAction(SlackBlocks.APPROVE, (req, ctx) -> decide(req, ctx, true));
    app.blockAction(SlackBlocks.REJECT, (req, ctx) -> decide(req, ctx, false));
    app.viewSubmission(
        ParameterModal.CALLBACK_ID,
        (req, ctx) -> {
          var view = req.getPayload().getView();
          ParameterModal.Metadata meta = ParameterModal.metadata(view.getPrivateMetadata());
          var intent = engine.catalog().find(meta.intent());
          if (intent.isEmpty()) {
            return ctx.ack(
                r ->
                    r.responseAction("errors")
                        .errors(ParameterModal.gone(meta.intent(), view.getState())));
          }
          ParameterModal.Submitted submitted =
              modal.read(intent.get(), view.getState().getValues());
          if (!submitted.valid()) {
            return ctx.ack(r -> r.responseAction("errors").errors(submitted.errors()));
          }
          RequestHeaders headers = req.getHeaders();
          String user = req.getPayload().getUser().getId();
          ChatUser who = new ChatUser(user, meta.channel(), "slack");
          Command.Run run =
              new Command.Run(
                  meta.intent(), submitted.arguments(), meta.dryRun(), meta.breakGlass());
          workers.execute(
              () -> {
                try {
                  if (first(headers, "view:" + view.getId() + ":" + view.getHash())
                      && mayRecord(run, who, meta.responseUrl())) {
                    reply(handler.run(run, who), who, meta.responseUrl());
                  }
                } catch (RuntimeException e) {
                  failed(e, who, meta.responseUrl());
                }
              });
          return ctx.ack();
        });
  }

  private com.slack.api.bolt.response.Response decide(
      com.slack.api.bolt.request.builtin.BlockActionRequest req,
      com.slack.api.bolt.context.builtin.ActionContext ctx,
      boolean approve) {
    long started = System.nanoTime();
    var p = req.getPayload();
    var action = p.getActions().get(0);
    String runId = action.getValue();
    String user = p.getUser().getId();
    RequestHeaders headers = req.getHeaders();
    String channel = p.getChannel() == null ? null : p.getChannel().getId();
    ChatUser who = new ChatUser(user, channel, "slack");
    workers.execute(
        () -> {
          if (!first(headers, "action:" + p.getTriggerId() + ":" + action.getActionTs())) {
            return;
          }
          try {
            Decision d =
                approve
                    ? engine.approve(runId, who.actor())
                    : engine.reject(runId, who.actor(), null);
            if (!d.accepted()) {
              reply(Reply.error(handler.outcomes().decision(d)), who, p.getResponseUrl());
            }
          } catch (RuntimeException e) {
            failed(e, who, p.getResponseUrl());
          }
        });
    metrics.ack(Duration.ofNanos(System.nanoTime() - started));
    return ctx.ack();
  }

  private void command(String text, ChatUser who, String triggerId, String responseUrl) {
    try {
      Command command = CommandParser.parse(text);
      if (command instanceof Command.Run run) {
        if (!mayRecord(run, who, responseUrl)) {
          return;
        }
        List<ParameterDefinition> missing = handler.missingRequired(run);
        var intent = handler.intent(run.intent());
        if (!missing.isEmpty() && intent.isPresent() && triggerId != null) {
          openModal(intent.get(), run, who, triggerId, responseUrl);
          return;
        }
      }
      reply(handler.handle(command, who), who, responseUrl);
    } catch (RuntimeException e) {
      failed(e, who, responseUrl);
    }
  }

  private void openModal(
      IntentDefinition intent,
      Command.Run run,
      ChatUser who,
      String triggerId,
      String responseUrl) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String argument : run.arguments()) {
      int eq = argument.indexOf('=');
      given.put(argument.substring(0, eq), argument.substring(eq + 1));
    }
    String view =
        modal.view(
            intent,
            given,
            new ParameterModal.Metadata(
                intent.name(), who.channel(), run.dryRun(), run.breakGlassReason(), responseUrl));
    try {
      if (!limits.mayCall("views.open", null)) {
        reply(
            Reply.error(
                "Slack asked intentbot to slow down, so the form cannot open right now."
                    + " Type the parameters (`describe "
                    + intent.name()
                    + "`) or try again in a few seconds."),
            who,
            responseUrl);
        return;
      }
      var response = methods.viewsOpen(r -> r.triggerId(triggerId).viewAsString(view));
      if (!response.isOk()) {
        if (SlackHealth.configurationError(response.getError())) {
          health.problem("views.open", response.getError(), response.getNeeded());
        }
        metrics.slackError("views.open", response.getError());
        reply(
            Reply.error(
                "Missing "
                    + String.join(
                        ", ",
                        handler.missingRequired(run).stream()
                            .map(ParameterDefinition::name)
                            .toList())
                    + ". Type `describe "
                    + intent.name()
                    + "` for the parameters."),
            who,
            responseUrl);
      }
    } catch (com.slack.api.methods.SlackApiException e) {
      metrics.slackError("views.open", String.valueOf(e.getResponse().code()));
      if (e.getResponse().code() == 429) {
        limits.rateLimited("views.open", null, e.getResponse().header("Retry-After"));
      }
      reply(
          Reply.error(
              "The form could not open (Slack: HTTP "
                  + e.getResponse().code()
                  + "). Type the parameters (`describe "
                  + intent.name()
                  + "`) or try again."),
          who,
          responseUrl);
    } catch (Exception e) {
      metrics.slackError("views.open", "io");
      failed(e, who, responseUrl);
    }
  }

  /**
   * Whether a run asked for in {@code who.channel()} may be recorded: dry runs always (they answer
   * the requester only); others only where the bot can post its thread ({@link ChannelCheck}).
   * Otherwise the requester is told at once how to fix it.
   */
  private boolean mayRecord(Command.Run run, ChatUser who, String responseUrl) {
    if (run.dryRun()) {
      return true;
    }
    ChannelCheck.Result check = channels.check(who.channel());
    if (!check.ok()) {
      reply(Reply.error(check.problem()), who, responseUrl);
    }
    return check.ok();
  }

  /** An ephemeral reply: through the response URL when there is one, else chat.postEphemeral. */
  private void reply(Reply reply, ChatUser who, String responseUrl) {
    try {
      if (responseUrl != null && !responseUrl.isBlank()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("response_type", "ephemeral");
        body.put("replace_original", false);
        body.put("text", SlackLimits.cut(SlackText.mrkdwn(reply.text()), SlackLimits.MESSAGE_TEXT));
        var response = slack.send(responseUrl, JSON.writeValueAsString(body));
        if (response.getCode() != 200) {
          metrics.slackError("response_url", String.valueOf(response.getCode()));
        }
      } else if (who.channel() != null) {
        var response =
            methods.chatPostEphemeral(
                r ->
                    r.channel(who.channel())
                        .user(who.user())
                        .text(
                            SlackLimits.cut(
                                SlackText.mrkdwn(reply.text()), SlackLimits.MESSAGE_TEXT)));
        if (!response.isOk()) {
          metrics.slackError("chat.postEphemeral", response.getError());
        }
      }
    } catch (Exception e) {
      metrics.slackError("reply", "io");
      log.warn("cannot reply to {}: {}", who.user(), e.toString());
    }
  }

  private void failed(Exception e, ChatUser who, String responseUrl) {
    String ref = UUID.randomUUID().toString().substring(0, 8);
    log.error("request from {} failed (ref {})", who.user(), ref, e);
    reply(
        Reply.error("Something went wrong on our side (ref " + ref + "). It was logged."),
        who,
        responseUrl);
  }

  /**
   * Whether this request is new: neither its own key (trigger id and the like) nor its signed bytes
   * (signature and timestamp) were seen before; both are remembered. Asked by the workers before
   * they act, not before the ack: a replay gets the same empty ack either way, and nothing on the
   * acknowledgement's path waits for the database.
   */
  private boolean first(RequestHeaders headers, String key) {
    String signature = headers == null ? null : headers.getFirstValue("X-Slack-Signature");
    String signed =
        signature == null
            ? null
            : "signed:" + headers.getFirstValue("X-Slack-Request-Timestamp") + ":" + signature;
    boolean first = seen.firstTime(Arrays.asList(key, signed));
    if (!first) {
      log.info(
          "ignoring a repeated delivery ({}, retry {})",
          key,
          headers == null ? null : headers.getFirstValue("X-Slack-Retry-Num"));
    }
    return first;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    auth.close();
    poster.close();
    try {
      app.stop();
    } catch (Exception e) {
      log.debug("stopping the Bolt app: {}", e.toString());
    }
  }
}
