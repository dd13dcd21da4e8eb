package io.intentbot.bot.cli;

import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.bot.slack.SocketModeRunner;
import io.intentbot.engine.Engine;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code intentbot socket}: Slack over Socket Mode, for teams without a public URL. */
@Command(
    name = "socket",
    description = "Serve Slack over Socket Mode. Needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN.")
final class SocketCommand extends BaseCommand {

  @Override
  public Integer call() throws Exception {
    Bootstrap boot = bootstrap();
    SlackSettings settings = SlackSettings.from(env(), boot.config());
    List<String> missing = settings.missingForSocketMode();
    if (!missing.isEmpty()) {
      err().println("intentbot socket: " + SlackSettings.refusal(missing, "Socket Mode"));
      boot.close();
      return ExitCode.INVALID;
    }
    Clock clock = Clock.systemUTC();
    Engine engine = boot.serverEngine(SlackBot.groupDirectory(settings, clock));
    OutboxStore outbox = OutboxStore.open(boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock);
    SocketModeRunner runner = new SocketModeRunner(engine, settings, outbox, clock);
    // After the Slack listeners are in place, so that each interrupted run's thread says so.
    engine.start();
    engine.recoverInterrupted();
    runner.start();
    LoggerFactory.getLogger(SocketCommand.class)
        .info("intentbot connected to Slack over Socket Mode");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runner.close();
                  outbox.close();
                  boot.close();
                  stopped.countDown();
                }));
    stopped.await();
    return ExitCode.SUCCEEDED;
  }
}
