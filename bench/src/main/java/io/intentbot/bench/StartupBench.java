package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Start-up and memory: time from starting {@code java -jar intentbot.jar serve} to {@code /healthz}
 * answering (median of several cold starts, each on a fresh H2 file), beside its floor in the same
 * run: a bare Bolt app ({@link BareBoltApp}, same JVM options, same fake Slack) from start to its
 * first answer, started after each bot start so both meet the same background load. Then resident
 * memory ({@code VmRSS}) just after start, and after 1,000 runs sent as signed slash commands.
 */
final class StartupBench {

  private final int starts;
  private final int runs;

  StartupBench(int starts, int runs) {
    this.starts = starts;
    this.runs = runs;
  }

  Figures run(Path work) throws Exception {
    List<Double> startupMs = new ArrayList<>();
    List<Double> bareMs = new ArrayList<>();
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ZERO)) {
      for (int i = 0; i < starts - 1; i++) {
        try (ServedBot bot =
            ServedBot.start(
                Files.createDirectories(work.resolve("start-" + i)),
                Map.of("bench-noop", Intents.NOOP),
                slack)) {
          startupMs.add(bot.startupMs);
        }
        bareMs.add(bareBoltStartupMs(work.resolve("bare-" + i + ".log"), slack));
      }
      try (ServedBot bot =
          ServedBot.start(
              Files.createDirectories(work.resolve("start-last")),
              Map.of("bench-noop", Intents.NOOP),
              slack)) {
        startupMs.add(bot.startupMs);
        bareMs.add(bareBoltStartupMs(work.resolve("bare-last.log"), slack));
        double rssAtStart = bot.process.rssMb();
        long threadsAtStart = bot.process.threads();
        long sent = System.nanoTime();
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / 100;
        for (int i = 0; i < runs; i++) {
          long scheduled = sent + i * interval;
          long wait;
          while ((wait = scheduled - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          answers.add(
              bot.commands.commandAsync(
                  "U" + (1000 + i % 20), "C0CH" + (i % 50), "bench-noop", "rss-" + i));
          if (i % 200 == 199) {
            slack.resetRequests();
          }
        }
        long refused = 0;
        java.util.SortedMap<Integer, Integer> byStatus = new java.util.TreeMap<>();
        for (CompletableFuture<Integer> answer : answers) {
          int status = answer.get(30, TimeUnit.SECONDS);
          if (status != 200) {
            refused++;
            byStatus.merge(status, 1, Integer::sum);
          }
        }
        long finished = awaitFinishedRuns(bot, runs, Duration.ofSeconds(180));
        double seconds = (System.nanoTime() - sent) / 1e9;
        double rssAfter = bot.process.rssMb();
        startupMs.sort(Double::compare);
        bareMs.sort(Double::compare);
        double median = startupMs.get(startupMs.size() / 2);
        double bareMedian = bareMs.get(bareMs.size() / 2);
        return new Figures("startup")
            .put("startup_ms", median, "< 2000")
            .put("startup_ms_min", startupMs.get(0))
            .put("startup_ms_max", startupMs.get(startupMs.size() - 1))
            .put("bare_bolt_startup_ms", bareMedian)
            .put("bare_bolt_startup_ms_min", bareMs.get(0))
            .put("bare_bolt_startup_ms_max", bareMs.get(bareMs.size() - 1))
            .put("startup_ratio_vs_bare_bolt", median / bareMedian, "<= 1.5")
            .put("starts", starts)
            .put("rss_mb", rssAtStart, "< 256")
            .put("rss_mb_after_1000_runs", rssAfter, "< 256")
            .put("runs_finished", finished, "== " + runs)
            .put("commands_not_200", refused)
            .put("commands_not_200_by_status", byStatus.toString())
            .put("seconds_for_runs", seconds)
            .put("threads_at_start", threadsAtStart)
            .put("threads_after_runs", bot.process.threads())
            .put("jvm_opts", String.join(" ", JavaProcess.jvmOptions()));
      }
    }
  }

  /**
   * Starts {@link BareBoltApp} (the bench classpath, the same JVM options as the bot) and returns
   * the milliseconds to its first HTTP answer on {@code /slack/events}; stops it.
   */
  static double bareBoltStartupMs(Path log, FakeSlack slack) throws Exception {
    int port = JavaProcess.freePort();
    try (JavaProcess bare =
        JavaProcess.start(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                BareBoltApp.class.getName(),
                String.valueOf(port),
                slack.apiUrl()),
            Map.of(),
            log)) {
      return bare.awaitAnswer(
          "http://127.0.0.1:" + port + "/slack/events", true, Duration.ofSeconds(60));
    }
  }

  /** Polls {@code /metrics} until {@code intentbot_runs_total} reaches {@code expected}. */
  static long awaitFinishedRuns(ServedBot bot, long expected, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.port + "/metrics")).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    long finished = 0;
    while (System.nanoTime() < deadline) {
      String text = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      finished = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith("intentbot_runs_total{")) {
          finished += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      if (finished >= expected) {
        return finished;
      }
      Thread.sleep(100);
    }
    return finished;
  }
}
