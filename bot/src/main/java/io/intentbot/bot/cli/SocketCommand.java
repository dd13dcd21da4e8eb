package io.intentbot.bot.cli;

import io.intentbot.bot.chat.BrokenIntents;
import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.ReplayKeyStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.bot.slack.SlackTokenRejected;
import io.intentbot.bot.slack.SocketModeRunner;
import io.intentbot.engine.Engine;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code intentbot socket}: Slack over Socket Mode, for teams without a public URL. Start-up
 * failures are one line ({@link StartFailure}); Slack unreachable is not one: it keeps trying.
 */
@Command(
    name = "socket",
    description = "Serve Slack over Socket Mode. Needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN.")
final class SocketCommand extends BaseCommand {

  private static final Logger log = LoggerFactory.getLogger(SocketCommand.class);

  @Override
  public Integer call() {
    try {
      return socket();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.FAILED;
    } catch (Exception | Error e) {
      StartFailure failure = StartFailure.of("socket", null, e);
      err().println(failure.line());
      return failure.exitCode();
    }
  }

  private int socket() throws Exception {
    Bootstrap boot = bootstrap();
    SlackSettings settings = SlackSettings.from(env(), boot.config());
    List<String> missing = settings.missingForSocketMode();
    if (!missing.isEmpty()) {
      err().println("intentbot socket: " + SlackSettings.refusal(missing, "Socket Mode"));
      boot.close();
      return ExitCode.INVALID;
    }
    Clock clock = Clock.systemUTC();
    OutboxStore outbox;
    ReplayKeyStore replays;
    SocketModeRunner runner;
    Engine engine;
    try {
      engine = boot.serverEngine(SlackBot.groupDirectory(settings, clock));
      BrokenIntents.log(engine.catalog(), log);
      outbox = OutboxStore.open(boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock);
      replays =
          ReplayKeyStore.besideOutbox(
              outbox, boot.dbUrl(), boot.dbUser(), boot.dbPassword(), clock);
      runner = new SocketModeRunner(engine, settings, outbox, clock);
      runner.bot().replayKeys(replays);
      // After the Slack listeners are in place, so that each interrupted run's thread says so.
      engine.start();
      engine.recoverInterrupted();
    } catch (Exception | Error e) {
      boot.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicReference<SlackTokenRejected> rejected = new AtomicReference<>();
    runner.onTokenRejected(
        e -> {
          rejected.set(e);
          stopped.countDown();
        });
    Runnable closeAll =
        () -> {
          runner.close();
          engine.close(); // cancels the runs in progress while the outbox can still tell Slack
          outbox.close();
          replays.close();
          boot.close();
        };
    try {
      runner.start();
    } catch (Exception | Error e) {
      closeAll.run();
      throw e;
    }
    if (runner.connected()) {
      log.info("intentbot connected to Slack over Socket Mode");
    }
    ServerShutdown shutdown = ServerShutdown.install(closeAll, stopped::countDown);
    stopped.await();
    shutdown.close();
    if (rejected.get() != null) {
      err().println("intentbot socket: " + rejected.get().getMessage());
      return ExitCode.INVALID;
    }
    return shutdown.exitCode(ExitCode.SUCCEEDED);
  }
}
