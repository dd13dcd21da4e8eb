package io.intentbot.bot.cli;

import io.intentbot.bot.chat.BrokenIntents;
import io.intentbot.bot.slack.AuditWitness;
import io.intentbot.bot.slack.HttpLimits;
import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.ReplayKeyStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackGroupDirectory;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.bot.slack.SlackTokenRejected;
import io.intentbot.engine.Engine;
import io.intentbot.engine.config.ConfigException;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.text.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code intentbot serve [--port N]}: Slack over HTTP. A start-up failure (bad port, port in use,
 * invalid config, database unreachable, a token Slack rejects) is one line on stderr ({@link
 * StartFailure}); Slack unreachable is not one: it serves, says so on {@code /healthz} and keeps
 * trying.
 */
@Command(
    name = "serve",
    description =
        "Serve Slack over HTTP: POST /slack/events, GET /healthz, GET /metrics. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.")
final class ServeCommand extends BaseCommand {

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "HTTP port (default: $INTENTBOT_PORT or 3000)")
  Integer port;

  @Override
  public Integer call() {
    Integer listen = null;
    try {
      listen = StartFailure.port(port, env().get("INTENTBOT_PORT"));
      return serve(listen);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED;
    } catch (Exception | Error e) {
      StartFailure failure = StartFailure.of("serve", listen, e);
      err().println(failure.line());
      return failure.exitCode();
    }
  }

  private int serve(int listen) throws Exception {
    HttpLimits limits = HttpLimits.fromEnv(env());
    Duration unreadyAfter = unreadyAfter();
    Clock clock = Clock.systemUTC();
    Bootstrap boot = uncheckedBootstrap();
    // The audit database (store, outbox, replay keys) needs only the environment: with the Slack
    // credentials there, it opens while the config is read and checked, then beside the catalogue.
    Bootstrap.Ahead<SlackStores> opening =
        SlackSettings.from(env(), IntentbotConfig.empty()).missingForHttp().isEmpty()
            ? boot.openDatabaseAhead(audit -> SlackStores.open(boot, clock))
            : null;
    SlackSettings settings;
    try {
      settings = SlackSettings.from(env(), boot.config());
    } catch (RuntimeException | Error e) {
      if (opening != null) {
        opening.abandon(e);
      }
      boot.close();
      throw e;
    }
    List<String> missing = settings.missingForHttp();
    if (!missing.isEmpty()) {
      err().println("intentbot serve: " + SlackSettings.refusal(missing, "the Slack server"));
      boot.close();
      return ExitCode.INVALID;
    }
    opening.loadCatalogue();
    SlackGroupDirectory groups;
    SlackStores stores;
    try {
      groups = SlackBot.groupDirectory(settings, clock);
    } finally {
      stores = awaitOrClose(opening, boot);
    }
    OutboxStore outbox = stores.outbox();
    ReplayKeyStore replays = stores.replays();
    Engine engine = boot.serverEngine(groups);
    BrokenIntents.log(engine.catalog(), log);
    SlackServer server =
        new SlackServer(engine, settings, outbox, clock)
            .metricsToken(boot.env().get("INTENTBOT_METRICS_TOKEN"))
            .limits(limits)
            .unreadyAfter(unreadyAfter);
    AtomicReference<SlackTokenRejected> rejected = new AtomicReference<>();
    server
        .bot()
        .replayKeys(replays)
        .onTokenRejected(
            e -> {
              rejected.set(e);
              new Thread(server::stop, "intentbot-stop").start();
            });
    Runnable closeAll =
        () -> {
          server.close();
          engine.close(); // cancels the runs in progress while the outbox can still tell Slack
          outbox.close();
          replays.close();
          boot.close();
        };
    int listening;
    try {
      // After the Slack listeners are in place, so that each interrupted run's thread says so.
      engine.start();
      engine.recoverInterrupted();
      AuditWitness.start(engine, outbox); // slack.audit_channel, if set: each new audit head
      listening = server.start(listen);
    } catch (Exception | Error e) {
      closeAll.run();
      throw e;
    }
    if (server.healthPort() >= 0) {
      log.info("/healthz also on port {}", server.healthPort());
    }
    log.info(
        "intentbot serving Slack on port {} ({} intents{})",
        listening,
        engine.catalog().all().size(),
        engine.catalog().problems().isEmpty()
            ? ""
            : ", " + engine.catalog().problems().size() + " problems in intent files");
    ServerShutdown shutdown = ServerShutdown.install(closeAll, () -> {});
    server.join();
    shutdown.close();
    if (rejected.get() != null) {
      err().println("intentbot serve: " + rejected.get().getMessage());
      return ExitCode.INVALID;
    }
    return shutdown.exitCode(ExitCode.SUCCEEDED);
  }

  /** {@code INTENTBOT_SLACK_UNREADY_AFTER}: how long Slack may be unreachable before 503. */
  private Duration unreadyAfter() {
    String text = env().getOrDefault("INTENTBOT_SLACK_UNREADY_AFTER", "2m");
    return Durations.parse(text.strip())
        .filter(d -> !d.isNegative())
        .orElseThrow(
            () ->
                new ConfigException(
                    "INTENTBOT_SLACK_UNREADY_AFTER must be a duration such as 2m, got '"
                        + text
                        + "'"));
  }

  /** What {@link Bootstrap#openDatabaseAhead} opened; on failure, the bootstrap is closed first. */
  private static SlackStores awaitOrClose(Bootstrap.Ahead<SlackStores> opening, Bootstrap boot) {
    try {
      return opening.await();
    } catch (RuntimeException | Error e) {
      boot.close();
      throw e;
    }
  }

  /** The Slack adapter's stores in the audit database: opened together, closed together. */
  private record SlackStores(OutboxStore outbox, ReplayKeyStore replays) implements AutoCloseable {

    /** Migrates the Slack adapter's tables (after the audit schema) and connects both stores. */
    static SlackStores open(Bootstrap boot, Clock clock) {
      OutboxStore outbox = OutboxStore.open(boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock);
      try {
        return new SlackStores(
            outbox,
            ReplayKeyStore.besideOutbox(
                outbox, boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock));
      } catch (RuntimeException | Error e) {
        outbox.close();
        throw e;
      }
    }

    @Override
    public void close() {
      replays.close();
      outbox.close();
    }
  }
}
