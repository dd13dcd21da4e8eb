package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private final Duration duration;

  SoakBench(Duration duration) {
    this.duration = duration;
  }

  /** One sample of the bot process. */
  private record Sample(long atNanos, long threads, double rssMb) {}

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
          afterFullGc.add(fullGc(bot, gcLog));
        }
        Thread.sleep(20);
      }
      Thread.sleep(12_000); // the last holds and approvals end
      samples.add(new Sample(System.nanoTime(), bot.threads(), bot.rssMb()));
      afterFullGc.add(fullGc(bot, gcLog));
      String metrics = get(base + "/metrics");
      List<double[]> heap = heap(gcLog);
      return figures(
          samples, heap, afterFullGc, metrics, commandAcks, clickAcks, toCard, sendErrors.get());
    } finally {
      clicks.shutdownNow();
    }
  }

  /** A quarter of the run, at most a minute: start-up and the first compilations settle. */
  private long warmup() {
    return Math.min(TimeUnit.MINUTES.toNanos(1), duration.toNanos() / 4);
  }

  /**
   * The bot's heap after a full collection it is asked for ({@code jcmd PID GC.run}): what is live,
   * without the garbage the young collections leave in the old generation; NaN without jcmd.
   */
  static double fullGc(JavaProcess bot, Path gcLog) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Double.NaN;
    }
    int before = fullCollections(gcLog).size();
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(bot.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.waitFor(60, TimeUnit.SECONDS);
    for (int i = 0; i < 100; i++) {
      List<Double> full = fullCollections(gcLog);
      if (full.size() > before) {
        return full.get(full.size() - 1);
      }
      Thread.sleep(100);
    }
    return Double.NaN;
  }

  private static List<Double> fullCollections(Path gcLog) throws Exception {
    List<Double> out = new ArrayList<>();
    if (Files.isRegularFile(gcLog)) {
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC.matcher(line);
        if (line.contains("Pause Full") && m.find()) {
          out.add(Double.parseDouble(m.group(2)));
        }
      }
    }
    return out;
  }

  private Figures figures(
      List<Sample> samples,
      List<double[]> heap,
      List<Double> afterFullGc,
      String metrics,
      ConcurrentLinkedQueue<Long> commandAcks,
      ConcurrentLinkedQueue<Long> clickAcks,
      List<Long> toCard,
      int sendErrors) {
    long t0 = samples.get(0).atNanos() + warmup();
    long middle = t0 + (samples.get(samples.size() - 1).atNanos() - t0) / 2;
    long threadsFirst = 0;
    long threadsSecond = 0;
    double rssFirst = 0;
    double rssSecond = 0;
    for (Sample s : samples) {
      if (s.atNanos() < t0) {
        continue;
      }
      if (s.atNanos() < middle) {
        threadsFirst = Math.max(threadsFirst, s.threads());
        rssFirst = Math.max(rssFirst, s.rssMb());
      } else {
        threadsSecond = Math.max(threadsSecond, s.threads());
        rssSecond = Math.max(rssSecond, s.rssMb());
      }
    }
    double heapAfterGcFirst = 0;
    double heapAfterGcSecond = 0;
    double heapAfterGcMax = 0;
    double heapCommittedMax = 0;
    int skip = heap.size() / 4;
    for (int i = 0; i < heap.size(); i++) {
      heapAfterGcMax = Math.max(heapAfterGcMax, heap.get(i)[0]);
      heapCommittedMax = Math.max(heapCommittedMax, heap.get(i)[1]);
      if (i < skip) {
        continue;
      }
      if (i < skip + (heap.size() - skip) / 2) {
        heapAfterGcFirst = Math.max(heapAfterGcFirst, heap.get(i)[0]);
      } else {
        heapAfterGcSecond = Math.max(heapAfterGcSecond, heap.get(i)[0]);
      }
    }
    long threadsMax = samples.stream().mapToLong(Sample::threads).max().orElse(0);
    double rssMax = samples.stream().mapToDouble(Sample::rssMb).max().orElse(0);
    Latencies commands = new Latencies(commandAcks.stream().mapToLong(Long::longValue).toArray());
    Latencies clicks = new Latencies(clickAcks.stream().mapToLong(Long::longValue).toArray());
    Latencies cards = new Latencies(toCard.stream().mapToLong(Long::longValue).toArray());
    boolean threadsBounded = threadsMax < MAX_THREADS && threadsSecond <= threadsFirst + 20;
    // Live heap (after full collections at the warm-up's end, half-way and at the end) when jcmd
    // can ask for them; else the young collections' maxima, which include old garbage.
    boolean full = afterFullGc.size() == 3 && afterFullGc.stream().noneMatch(d -> d.isNaN());
    double liveMid = full ? afterFullGc.get(1) : Double.NaN;
    double liveEnd = full ? afterFullGc.get(2) : Double.NaN;
    boolean heapBounded =
        full
            ? liveEnd <= Math.max(afterFullGc.get(0), liveMid) * 1.25 + 8
            : heap.size() < 4 || heapAfterGcSecond <= heapAfterGcFirst * 1.25 + 8;
    boolean rssBounded = rssSecond <= rssFirst * 1.5 + 48;
    Figures figures =
        new Figures("soak")
            .put("minutes", duration.toSeconds() / 60.0)
            .put("threads_max", threadsMax, "< " + MAX_THREADS)
            .put("threads_max_first_half", threadsFirst)
            .put("threads_max_second_half", threadsSecond)
            .put("heap_after_gc_max_mb", heapAfterGcMax)
            .put("heap_after_gc_max_first_half_mb", heapAfterGcFirst)
            .put("heap_after_gc_max_second_half_mb", heapAfterGcSecond)
            .put("heap_live_after_warmup_mb", full ? afterFullGc.get(0) : null)
            .put("heap_live_half_way_mb", full ? liveMid : null)
            .put("heap_live_at_end_mb", full ? liveEnd : null)
            .put("heap_committed_max_mb", heapCommittedMax)
            .put("gc_count", heap.size())
            .put("rss_max_mb", rssMax)
            .put("rss_max_first_half_mb", rssFirst)
            .put("rss_max_second_half_mb", rssSecond)
            .put("runs_done", sum(metrics, "intentbot_runs_total{"))
            .put("runs_succeeded", sum(metrics, "intentbot_runs_total{", "status=\"succeeded\""))
            .put("refusals", sum(metrics, "intentbot_refused_total{"))
            .put(
                "refusals_runs_per_user",
                sum(metrics, "intentbot_refused_total{", "rule=\"limits.runs_per_user\""))
            .put("command_ack_p99_ms", commands.percentileMs(99))
            .put("command_ack_max_ms", commands.maxMs())
            .put("commands_sent", commands.count())
            .put("click_ack_p99_ms", clicks.percentileMs(99))
            .put("clicks", clicks.count())
            .put("command_to_card_p99_ms", cards.percentileMs(99))
            .put("cards_seen", cards.count())
            .put("send_errors", sendErrors, "== 0")
            .put("threads_bounded", threadsBounded)
            .put("heap_bounded", heapBounded)
            .put("rss_bounded", rssBounded)
            .put("cores", Runtime.getRuntime().availableProcessors());
    if (!threadsBounded || !heapBounded || !rssBounded) {
      figures.print(System.out, System.err);
      throw new IllegalStateException(
          "threads or memory grew during the soak: threads "
              + threadsFirst
              + " -> "
              + threadsSecond
              + " (max "
              + threadsMax
              + "), heap after GC "
              + heapAfterGcFirst
              + " -> "
              + heapAfterGcSecond
              + " MB (live after full GC "
              + afterFullGc
              + "), RSS "
              + rssFirst
              + " -> "
              + rssSecond
              + " MB");
    }
    return figures;
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

  /** The sum of the Prometheus samples whose line starts with {@code name} and has every label. */
  static double sum(String metrics, String name, String... labels) {
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name)) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** Each collection's heap after it and the heap's size, in MB, from the GC log. */
  static List<double[]> heap(Path gcLog) throws Exception {
    List<double[]> out = new ArrayList<>();
    if (!Files.isRegularFile(gcLog)) {
      return out;
    }
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        out.add(new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
      }
    }
    return out;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
