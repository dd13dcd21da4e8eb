package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 13's soak: mixed load against {@code intentbot serve} from the packaged jar (a real process
 * on an H2 audit file, a fake Slack that accepts every call) for {@code -Dbench.soak.minutes}
 * (default 30; {@code bench/run soak --minutes N}), then its figures. Not in {@code bench/run}'s
 * default list.
 *
 * <p>Every second: a signed {@code /intent soak-shell} (a shell step printing lines) in one of ten
 * channels, by one of twenty users; every two seconds an {@code /intent soak-approve
 * env=production} whose card an approver clicks once it arrives; every three seconds {@code help};
 * every five seconds a burst of eight {@code soak-hold} (a 10 s child process) from one user, past
 * {@code limits.runs_per_user}, so refusals are part of the load. Every five seconds it samples the
 * process's threads and resident memory ({@code /proc}); the heap after each collection comes from
 * the bot's GC log, and the live heap from full collections it asks for ({@code jcmd PID GC.run})
 * when the warm-up ends, half-way and at the end.
 *
 * <p>It fails when threads or memory grow without bound: after a warm-up (a quarter of the run, at
 * most a minute) the second half's maximum threads and RSS may not exceed the first half's by more
 * than the margins below, nor the live heap at the end the larger earlier one by more than a
 * quarter and 8 MB; threads stay under {@value #MAX_THREADS}.
 */
final class SoakBench {

  static final int MAX_THREADS = 300;

  static final String APPROVER = "U0APPROVER";

  static final String CONFIG =
      """
      apps: [web]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          approval: { approvers: [U0APPROVER], required: 1, self_approval: false, expires_after: 2m }
      limits: { runs_per_user: 5, runs_total: 100, processes: 32 }
      slack:
        command: /intent
        min_post_interval: 1s
      """;

  static final Map<String, String> INTENTS =
      Map.of(
          "soak-shell",
          """
          name: soak-shell
          description: A shell step that prints a few lines
          risk: mutating
          parameters:
            env: { type: environment, required: true }
          steps:
            - id: print
              type: shell
              with: { command: [sh, -c, "for i in 1 2 3 4 5; do echo soak line $i; done"] }
            - id: done
              type: set
              with: { done: "yes" }
          """,
          "soak-approve",
          """
          name: soak-approve
          description: Waits for approval, then a shell step
          risk: mutating
          parameters:
            env: { type: environment, required: true }
          steps:
            - id: work
              type: shell
              with: { command: [echo, approved work] }
          """,
          "soak-hold",
          """
          name: soak-hold
          description: Holds a child process for ten seconds
          risk: mutating
          parameters:
            env: { type: environment, required: true }
          steps:
            - id: hold
              type: shell
              with: { command: [sleep, "10"] }
          """);

  private static final Pattern RUN_VALUE = Pattern.compile("\"value\":\"(r-[a-z0-9]+)\"");

  private final Duration duration;

  SoakBench(Duration duration) {
    this.duration = duration;
  }

  /** One sample of the bot process. */
  record Sample(long atNanos, long threads, double rssMb) {}

  Figures run(Path work) throws Exception {
    ExecutorService clicks = Executors.newFixedThreadPool(4, Daemon.threads("soak-click"));
    Path gcLog = work.resolve("gc.log");
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ZERO);
        ServedBot served =
            ServedBot.start(work, INTENTS, slack, CONFIG, List.of("-Xlog:gc:file=" + gcLog))) {
      JavaProcess bot = served.process;
      String base = "http://127.0.0.1:" + served.port;
      SignedRequests requests = ServedBot.signedCommands(base + "/slack/events", slack);
      ConcurrentLinkedQueue<Long> commandAcks = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> clickAcks = new ConcurrentLinkedQueue<>();
      List<Long> toCard = new ArrayList<>();
      List<Sample> samples = new ArrayList<>();
      AtomicInteger sendErrors = new AtomicInteger();
      long[] lastApprovalSent = new long[20];

      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long[] fullGcAt = {start + warmup(), start + warmup() + (duration.toNanos() - warmup()) / 2};
      List<Double> afterFullGc = new ArrayList<>();
      long nextSample = start;
      int second = 0;
      int scanned = 0;
      long nextTick = start;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (now >= nextTick) {
          int s = second++;
          nextTick += TimeUnit.SECONDS.toNanos(1);
          send(
              requests,
              commandAcks,
              sendErrors,
              "U" + (1000 + s % 20),
              "CSOAK" + s % 10,
              "soak-shell env=sandbox");
          if (s % 2 == 0) {
            int k = (s / 2) % lastApprovalSent.length;
            lastApprovalSent[k] = System.nanoTime();
            send(
                requests,
                commandAcks,
                sendErrors,
                "U" + (2000 + (s / 2) % 30),
                "CSOAKP" + k,
                "soak-approve env=production");
          }
          if (s % 3 == 0) {
            send(requests, commandAcks, sendErrors, "U3000", "CSOAKH", "help");
          }
          if (s % 5 == 0) {
            for (int b = 0; b < 8; b++) {
              send(requests, commandAcks, sendErrors, "U0FLOOD", "CSOAKF", "soak-hold env=sandbox");
            }
          }
          if (s % 60 == 59) {
            // keep the fake's journal small: everything seen so far has been handled
            slack.resetRequests();
            scanned = 0;
          }
        }
        List<FakeSlack.MessageCall> calls = slack.messageCalls();
        for (; scanned < calls.size(); scanned++) {
          FakeSlack.MessageCall c = calls.get(scanned);
          String channel = String.valueOf(c.form().get("channel"));
          if (!c.accepted()
              || !c.method().equals("chat.postMessage")
              || c.form().get("thread_ts") != null
              || !channel.startsWith("CSOAKP")) {
            continue;
          }
          Matcher run = RUN_VALUE.matcher(String.valueOf(c.form().get("blocks")));
          if (!run.find()) {
            continue;
          }
          int k = Integer.parseInt(channel.substring("CSOAKP".length()));
          if (lastApprovalSent[k] > 0) {
            toCard.add(c.atNanos() - lastApprovalSent[k]);
            lastApprovalSent[k] = 0;
          }
          String runId = run.group(1);
          clicks.execute(() -> click(requests, clickAcks, sendErrors, runId, channel));
        }
        if (now >= nextSample) {
          nextSample += TimeUnit.SECONDS.toNanos(5);
          samples.add(new Sample(now, bot.threads(), bot.rssMb()));
        }
        if (afterFullGc.size() < fullGcAt.length && now >= fullGcAt[afterFullGc.size()]) {
          afterFullGc.add(GcLog.fullGc(bot, gcLog));
        }
        Thread.sleep(20);
      }
      Thread.sleep(12_000); // the last holds and approvals end
      samples.add(new Sample(System.nanoTime(), bot.threads(), bot.rssMb()));
      afterFullGc.add(GcLog.fullGc(bot, gcLog));
      String metrics = get(base + "/metrics");
      return new SoakFigures(duration, warmup())
          .figures(
              samples,
              GcLog.heap(gcLog),
              afterFullGc,
              metrics,
              commandAcks,
              clickAcks,
              toCard,
              sendErrors.get());
    } finally {
      clicks.shutdownNow();
    }
  }

  /** A quarter of the run, at most a minute: start-up and the first compilations settle. */
  private long warmup() {
    return Math.min(TimeUnit.MINUTES.toNanos(1), duration.toNanos() / 4);
  }

  private static void send(
      SignedRequests requests,
      ConcurrentLinkedQueue<Long> acks,
      AtomicInteger errors,
      String user,
      String channel,
      String text) {
    long sent = System.nanoTime();
    requests
        .commandAsync(user, channel, text, "soak-" + sent)
        .whenComplete(
            (status, error) -> {
              if (error != null || status != 200) {
                errors.incrementAndGet();
              } else {
                acks.add(System.nanoTime() - sent);
              }
            });
  }

  private static void click(
      SignedRequests requests,
      ConcurrentLinkedQueue<Long> acks,
      AtomicInteger errors,
      String runId,
      String channel) {
    long sent = System.nanoTime();
    try {
      int status =
          requests
              .post(
                  requests.clickBody(APPROVER, "intent_approve", runId, channel, "click-" + runId),
                  Instant.now(),
                  null)
              .statusCode();
      if (status == 200) {
        acks.add(System.nanoTime() - sent);
      } else {
        errors.incrementAndGet();
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
