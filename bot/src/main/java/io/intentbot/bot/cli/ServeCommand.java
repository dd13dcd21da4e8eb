package io.intentbot.bot.cli;

import io.intentbot.bot.slack.AuditWitness;
import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackGroupDirectory;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.engine.Engine;
import java.time.Clock;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code intentbot serve [--port N]}: Slack over HTTP. */
@Command(
    name = "serve",
    description =
        "Serve Slack over HTTP: POST /slack/events, GET /healthz, GET /metrics. Needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.")
final class ServeCommand extends BaseCommand {

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "HTTP port (default: $INTENTBOT_PORT or 3000)")
  Integer port;

  @Override
  public Integer call() throws Exception {
    Bootstrap boot = bootstrap();
    SlackSettings settings = SlackSettings.from(env(), boot.config());
    List<String> missing = settings.missingForHttp();
    if (!missing.isEmpty()) {
      err().println("intentbot serve: " + SlackSettings.refusal(missing, "the Slack server"));
      boot.close();
      return ExitCode.INVALID;
    }
    Clock clock = Clock.systemUTC();
    // The audit database (store, then outbox) and the catalogue open side by side, while this
    // thread connects to Slack: start-up takes the longest of the three, not their sum.
    Bootstrap.Ahead<OutboxStore> opening =
        boot.openAhead(
            audit -> OutboxStore.open(boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock));
    SlackGroupDirectory groups;
    OutboxStore outbox;
    try {
      groups = SlackBot.groupDirectory(settings, clock);
    } finally {
      outbox = awaitOrClose(opening, boot);
    }
    Engine engine = boot.serverEngine(groups);
    SlackServer server =
        new SlackServer(engine, settings, outbox, clock)
            .metricsToken(boot.env().get("INTENTBOT_METRICS_TOKEN"));
    // After the Slack listeners are in place, so that each interrupted run's thread says so.
    engine.start();
    engine.recoverInterrupted();
    AuditWitness.start(engine, outbox); // slack.audit_channel, if set: each new audit head
    int listening =
        server.start(
            port != null ? port : Integer.parseInt(env().getOrDefault("INTENTBOT_PORT", "3000")));
    LoggerFactory.getLogger(ServeCommand.class)
        .info(
            "intentbot serving Slack on port {} ({} intents)",
            listening,
            engine.catalog().all().size());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  outbox.close();
                  boot.close();
                }));
    server.join();
    return ExitCode.SUCCEEDED;
  }

  /** What {@link Bootstrap#openAhead} opened; on failure, the bootstrap is closed first. */
  private static OutboxStore awaitOrClose(Bootstrap.Ahead<OutboxStore> opening, Bootstrap boot) {
    try {
      return opening.await();
    } catch (RuntimeException | Error e) {
      boot.close();
      throw e;
    }
  }
}
