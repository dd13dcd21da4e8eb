package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code intentbot serve} from the packaged jar as a real process, on its own config, intents and
 * H2 audit file in a work folder, talking to a {@link FakeSlack}.
 */
final class ServedBot implements AutoCloseable {

  static final String SIGNING_SECRET = "bench-signing-secret-0123456789";
  static final String BOT_TOKEN = "xoxb-bench-0000000000-token";

  /**
   * The engine's part of {@link #CONFIG}: an engine in the bench's own JVM reads only this, since
   * the {@code slack:} section's schema comes with the bot, which is not on the bench classpath.
   * Its run limits are raised so that the benchmarks' bursts (200 runs at once from one user) are
   * measured, not refused ({@code soak} keeps the shipped limits and counts its refusals).
   */
  static final String ENGINE_CONFIG =
      """
      apps: [web]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
      limits: { runs_per_user: 1000, runs_total: 1000 }
      """;

  static final String CONFIG =
      ENGINE_CONFIG
          + """
          slack:
            command: /intent
            min_post_interval: 1s
          """;

  final FakeSlack slack;
  final JavaProcess process;
  final int port;
  final double startupMs;
  final SignedRequests commands;

  private ServedBot(FakeSlack slack, JavaProcess process, int port, double startupMs) {
    this.slack = slack;
    this.process = process;
    this.port = port;
    this.startupMs = startupMs;
    this.commands = signedCommands(eventsUrl(), slack);
  }

  /** The packaged bot: {@code -Dbench.jar}, else {@code bot/target/intentbot.jar}. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("bench.jar", "bot/target/intentbot.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run bench/run from the repository root");
    }
    return jar;
  }

  /** Writes the intents ({@code name -> yaml}) into {@code work}, starts the bot, waits for it. */
  /** Slash commands to {@code eventsUrl} signed with {@link #SIGNING_SECRET}, sent on 4 threads. */
  static SignedRequests signedCommands(String eventsUrl, FakeSlack slack) {
    return new SignedRequests(
        eventsUrl, SIGNING_SECRET, slack, Executors.newFixedThreadPool(4, Daemon.threads("load")));
  }

  static ServedBot start(Path work, Map<String, String> intents, FakeSlack slack) throws Exception {
    return start(work, intents, slack, CONFIG, List.of());
  }

  /** As above, on {@code configYaml}, with {@code jvmArgs} before {@code -jar}. */
  static ServedBot start(
      Path work,
      Map<String, String> intents,
      FakeSlack slack,
      String configYaml,
      List<String> jvmArgs)
      throws Exception {
    Path intentsDir = Files.createDirectories(work.resolve("intents"));
    for (var intent : intents.entrySet()) {
      Files.writeString(intentsDir.resolve(intent.getKey() + ".yaml"), intent.getValue());
    }
    Path config = Files.writeString(work.resolve("intentbot.yaml"), configYaml);
    int port = JavaProcess.freePort();
    List<String> args = new java.util.ArrayList<>(jvmArgs);
    args.addAll(
        List.of(
            "-jar",
            jar().toAbsolutePath().toString(),
            "serve",
            "--port",
            String.valueOf(port),
            "--config",
            config.toString(),
            "--intents",
            intentsDir.toString()));
    JavaProcess process =
        JavaProcess.start(
            args,
            Map.of(
                "SLACK_BOT_TOKEN",
                ServedBot.BOT_TOKEN,
                "SLACK_SIGNING_SECRET",
                ServedBot.SIGNING_SECRET,
                "SLACK_API_URL",
                slack.apiUrl(),
                "INTENTBOT_DATA",
                work.resolve("data").toString(),
                "INTENTBOT_LOG_LEVEL",
                "WARN"),
            work.resolve("intentbot.log"));
    try {
      double ms =
          process.awaitAnswer(
              "http://127.0.0.1:" + port + "/healthz", false, Duration.ofSeconds(60));
      return new ServedBot(slack, process, port, ms);
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  String eventsUrl() {
    return "http://127.0.0.1:" + port + "/slack/events";
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
