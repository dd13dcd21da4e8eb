package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What people feel in Slack (issue 15), against {@code intentbot serve} from the packaged jar and a
 * fake Slack that accepts every call: signed {@code /intent bench-approve env=production} at
 * {@value #RATE} commands/s, each in a channel of its own, runs of 1 s staying in flight.
 *
 * <ul>
 *   <li>{@code command_to_card_p99_ms}: the command sent → its approval card received by Slack.
 *   <li>{@code click_to_first_step_p99_ms}: an approver's signed click on Approve, 1.5 s after the
 *       card arrived (a person reading it) → the run's first step line received in its thread.
 *   <li>{@code bare_bolt_ack_p99_ms}: a bare Bolt app's acknowledgement ({@link BareBoltApp}) at
 *       the same rate in the same run, the floor the two figures stand next to.
 * </ul>
 *
 * Run with {@code java -cp bench/target/intentbot-bench.jar:bench/target/lib/* @config/jvm.options
 * -Dbench.jar=bot/target/intentbot.jar io.intentbot.bench.SlackBench} after {@code bench/run}'s
 * build, until {@code BenchMain} knows it as {@code slack}.
 */
final class SlackBench {

  static final int RATE = 10;

  /** How long after its card arrives a card is approved (a person reading it). */
  static final long THINK_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

  static final String APPROVER = "U0APPROVER";

  static final String CONFIG =
      """
      apps: [web]
      environments:
        production:
          namespace: "{app}"
          protected: true
          approval: { approvers: [U0APPROVER], required: 1, self_approval: false, expires_after: 30m }
      slack:
        command: /intent
        min_post_interval: 1s
      """;

  static final String INTENT =
      """
      name: bench-approve
      description: Waits for approval, then a second of work
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: work
          type: wait
          with: { duration: 1s, message: working }
        - id: done
          type: set
          with: { done: "yes" }
      """;

  private static final Pattern RUN_VALUE = Pattern.compile("\"value\":\"(r-[a-z0-9]+)\"");

  private final int commands;

  SlackBench(int commands) {
    this.commands = commands;
  }

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("intentbot-bench-slack-");
    new SlackBench(Integer.getInteger("bench.slack.commands", 300))
        .run(work)
        .put("load_average_1m", BenchMain.loadAverage())
        .print(System.out, System.err);
    System.exit(0);
  }

  Figures run(Path work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32, Daemon.threads("slack-bench"));
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ZERO);
        JavaProcess bot = serve(work, slack)) {
      int port = Integer.parseInt(Files.readString(work.resolve("port")).strip());
      String events = "http://127.0.0.1:" + port + "/slack/events";
      SignedRequests requests = ServedBot.signedCommands(events, slack);
      int barePort = JavaProcess.freePort();
      try (JavaProcess bare =
          JavaProcess.start(
              List.of(
                  "-cp",
                  System.getProperty("java.class.path"),
                  BareBoltApp.class.getName(),
                  String.valueOf(barePort),
                  slack.apiUrl()),
              Map.of(),
              work.resolve("bare-bolt.log"))) {
        String bareUrl = "http://127.0.0.1:" + barePort + "/slack/events";
        bare.awaitAnswer(bareUrl, true, Duration.ofSeconds(60));
        SignedRequests bareRequests = ServedBot.signedCommands(bareUrl, slack);

        round(requests, slack, pool, 30, "warm");
        AckBench.Result.load(bareRequests, "bench-noop", RATE, 30, "warm");
        slack.resetRequests();
        Round measured = round(requests, slack, pool, commands, "bench");
        AckBench.Result bareAcks =
            AckBench.Result.load(bareRequests, "bench-noop", RATE, commands, "bare");
        Latencies card = new Latencies(measured.toCard());
        Latencies step = new Latencies(measured.toStep());
        Latencies floor = new Latencies(bareAcks.nanos());
        return new Figures("slack")
            .put("command_to_card_p50_ms", card.percentileMs(50))
            .put("command_to_card_p99_ms", card.percentileMs(99), "< 250")
            .put("click_to_first_step_p50_ms", step.percentileMs(50))
            .put("click_to_first_step_p99_ms", step.percentileMs(99), "< 250")
            .put("bare_bolt_ack_p50_ms", floor.percentileMs(50))
            .put("bare_bolt_ack_p99_ms", floor.percentileMs(99))
            .put("cards_missing", commands - card.count(), "== 0")
            .put("first_steps_missing", commands - step.count(), "== 0")
            .put("commands", commands)
            .put("rate_per_s", RATE)
            .put("cores", Runtime.getRuntime().availableProcessors());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private record Round(long[] toCard, long[] toStep) {}

  /**
   * {@code n} commands at {@link #RATE}/s, each in channel {@code C<name><i>}; each card seen is
   * approved at once; returns the latencies measured (missing ones left out).
   */
  private Round round(
      SignedRequests requests, FakeSlack slack, ExecutorService pool, int n, String name)
      throws Exception {
    long[] sent = new long[n];
    long[] clicked = new long[n];
    long[] toCard = new long[n];
    long[] toStep = new long[n];
    String[] channels = new String[n];
    long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    List<CompletableFuture<?>> pending = new ArrayList<>();
    int scanned = 0;
    long deadline = start + interval * n + TimeUnit.SECONDS.toNanos(60);
    int next = 0;
    while (System.nanoTime() < deadline) {
      long now = System.nanoTime();
      while (next < n && start + next * interval <= now) {
        int i = next++;
        channels[i] = "C" + name.toUpperCase() + i;
        sent[i] = start + i * interval;
        pending.add(
            requests.commandAsync(
                "U" + (1000 + i % 20), channels[i], "bench-approve env=production", name + i));
      }
      List<FakeSlack.MessageCall> calls = slack.messageCalls();
      for (; scanned < calls.size(); scanned++) {
        FakeSlack.MessageCall c = calls.get(scanned);
        int i = index(channels, c.form().get("channel"));
        if (i < 0 || !c.accepted() || !c.method().equals("chat.postMessage")) {
          continue;
        }
        boolean top = c.form().get("thread_ts") == null;
        if (top && toCard[i] == 0) {
          toCard[i] = c.atNanos() - sent[i];
          Matcher run = RUN_VALUE.matcher(String.valueOf(c.form().get("blocks")));
          if (run.find()) {
            String runId = run.group(1);
            String channel = channels[i];
            pending.add(
                CompletableFuture.runAsync(
                    () -> {
                      // a person reads the card first; the thread's 1 message/s is then free
                      LockSupport.parkNanos(THINK_NANOS);
                      clicked[i] = System.nanoTime();
                      try {
                        requests.post(
                            requests.clickBody(
                                APPROVER, "intent_approve", runId, channel, "click-" + runId),
                            Instant.now(),
                            null);
                      } catch (Exception e) {
                        clicked[i] = -1;
                      }
                    },
                    pool));
          }
        } else if (!top
            && clicked[i] > 0
            && toStep[i] == 0
            && c.atNanos() > clicked[i]
            && String.valueOf(c.form().get("text")).contains("started")) {
          toStep[i] = c.atNanos() - clicked[i];
        }
      }
      if (next == n && count(toStep) == n) {
        break;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return new Round(present(toCard), present(toStep));
  }

  private static int index(String[] channels, String channel) {
    if (channel == null) {
      return -1;
    }
    for (int i = 0; i < channels.length; i++) {
      if (channel.equals(channels[i])) {
        return i;
      }
    }
    return -1;
  }

  private static int count(long[] values) {
    int n = 0;
    for (long v : values) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private static long[] present(long[] values) {
    return java.util.Arrays.stream(values).filter(v -> v > 0).toArray();
  }

  /** {@code intentbot serve} on {@link #CONFIG}; writes its port to {@code work/port}. */
  private static JavaProcess serve(Path work, FakeSlack slack) throws Exception {
    Path intents = Files.createDirectories(work.resolve("intents"));
    Files.writeString(intents.resolve("bench-approve.yaml"), INTENT);
    Path config = Files.writeString(work.resolve("intentbot.yaml"), CONFIG);
    int port = JavaProcess.freePort();
    Files.writeString(work.resolve("port"), String.valueOf(port));
    JavaProcess process =
        JavaProcess.start(
            List.of(
                "-jar",
                ServedBot.jar().toAbsolutePath().toString(),
                "serve",
                "--port",
                String.valueOf(port),
                "--config",
                config.toString(),
                "--intents",
                intents.toString()),
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
      process.awaitAnswer("http://127.0.0.1:" + port + "/healthz", false, Duration.ofSeconds(60));
      return process;
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }
}
