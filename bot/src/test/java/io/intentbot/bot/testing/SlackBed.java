package io.intentbot.bot.testing;

import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.ReplayKeyStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.slack.SlackSettings;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Slack server in this JVM on a real engine ({@link EngineFixture} over {@link TestIntents})
 * and a {@link FakeSlack}, with short posting intervals; can be stopped and started again on the
 * same folder and database, as a restarted bot would be.
 */
public final class SlackBed implements AutoCloseable {

  public static final String SECRET = "test-signing-secret";
  public static final String CHANNEL = "C0OPS";
  public static final Duration WAIT = Duration.ofSeconds(15);

  public final FakeSlack slack;
  public final Path dir;
  public final String dbUrl;
  public EngineFixture bed;
  public OutboxStore outbox;
  public ReplayKeyStore replays;
  public SlackServer server;
  public SignedRequests requests;

  public SlackBed(FakeSlack slack, Path dir, String dbUrl) {
    this.slack = slack;
    this.dir = dir;
    this.dbUrl = dbUrl;
  }

  private String breakGlassChannel;
  private String config = TestIntents.CONFIG;

  /** Runs on {@code yaml} instead of {@link TestIntents#CONFIG}. */
  public SlackBed config(String yaml) {
    this.config = yaml;
    return this;
  }

  /** Announces break-glass runs in {@code channel} ({@code slack.break_glass_channel}). */
  public SlackBed breakGlassChannel(String channel) {
    this.breakGlassChannel = channel;
    return this;
  }

  public SlackSettings settings() {
    SlackSettings s = settings(slack);
    return breakGlassChannel == null
        ? s
        : new SlackSettings(
            s.botToken(),
            s.signingSecret(),
            s.appToken(),
            s.apiUrl(),
            s.command(),
            s.channels(),
            breakGlassChannel,
            s.minPostInterval(),
            s.maxBackoff(),
            s.expiryInterval());
  }

  /** The settings of a bot that talks to {@code slack}, signed with {@link #SECRET}. */
  public static SlackSettings settings(FakeSlack slack) {
    return new SlackSettings(
        "xoxb-test-token-0123456789",
        SECRET,
        null,
        slack.apiUrl(),
        "/intent",
        List.of(),
        null,
        Duration.ofMillis(20),
        Duration.ofMillis(200),
        Duration.ofSeconds(60));
  }

  public SlackBed start() throws Exception {
    bed =
        TestIntents.engine(dir, SlackBot.groupDirectory(settings()))
            .config(config)
            .database(dbUrl, null, null)
            .expiryInterval(settings().expiryInterval());
    bed.build();
    outbox = OutboxStore.open(dbUrl, null, null);
    replays = ReplayKeyStore.open(dbUrl, null, null, java.time.Clock.systemUTC());
    server = new SlackServer(bed.engine(), settings(), outbox);
    server.bot().replayKeys(replays);
    bed.started();
    int port = server.start(0);
    requests =
        new SignedRequests("http://127.0.0.1:" + port + SlackServer.EVENTS_PATH, SECRET, slack);
    return this;
  }

  public void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
    if (bed != null) {
      bed.close();
      bed = null;
    }
    if (outbox != null) {
      outbox.close();
      outbox = null;
    }
    if (replays != null) {
      replays.close();
      replays = null;
    }
  }

  public RunRecord latestRun() {
    await().atMost(WAIT).until(() -> !bed.engine().history(null, 1).isEmpty());
    return bed.engine().history(null, 1).get(0);
  }

  /** The ts of the run's top message, once Slack accepted it. */
  public String threadTs(String runId) {
    await().atMost(WAIT).until(() -> headCalls(runId).size() == 1);
    String body = headCalls(runId).get(0).responseBody();
    int i = body.indexOf("\"ts\":\"") + 6;
    return body.substring(i, body.indexOf('"', i));
  }

  /** Calls Slack answered with {@code ok:true} (a reset connection has no body). */
  public List<FakeSlack.Call> accepted(String path) {
    return slack.okCalls(path).stream()
        .filter(c -> c.responseBody().contains("\"ok\":true"))
        .toList();
  }

  /** Accepted top-level posts of the run (its head); more than one would be a duplicate. */
  public List<FakeSlack.Call> headCalls(String runId) {
    return accepted("/api/chat.postMessage").stream()
        .filter(c -> c.get("thread_ts") == null && String.valueOf(c.get("blocks")).contains(runId))
        .toList();
  }

  /** The texts Slack accepted into the thread, oldest first. */
  public List<String> threadTexts(String ts) {
    return accepted("/api/chat.postMessage").stream()
        .filter(c -> ts.equals(c.get("thread_ts")))
        .map(c -> c.get("text"))
        .toList();
  }

  /** The output lines that are whole numbers, in the order they reached the thread. */
  public List<String> numberLines(String ts) {
    List<String> lines = new ArrayList<>();
    for (String text : threadTexts(ts)) {
      text.lines().filter(l -> l.matches("\\d+")).forEach(lines::add);
    }
    return lines;
  }

  @Override
  public void close() {
    stop();
  }
}
