package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.ShippedJar;
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
import java.util.stream.Stream;

/**
 * Start-up and memory: time from starting {@code java -jar intentbot.jar serve} to {@code /healthz}
 * answering (median of several cold starts, each on a fresh H2 file), as {@code ./intentbot} and
 * the image start it (with the class archive {@code config/class-archive} makes, made here first)
 * and without the archive; beside its floor in the same run: a bare Bolt app ({@link BareBoltApp},
 * same JVM options, same fake Slack) from start to its first answer, without a class archive and
 * with one of its own made the same way, each started after a bot start so that all meet the same
 * background load. Then resident memory ({@code VmRSS}) just after start, and after 1,000 runs sent
 * as signed slash commands.
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
    List<Double> plainMs = new ArrayList<>();
    List<Double> bareMs = new ArrayList<>();
    List<Double> bareArchivedMs = new ArrayList<>();
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ZERO)) {
      long making = System.nanoTime();
      List<String> archived = ShippedJar.archiveOptions(serveArchive(work));
      double archiveSeconds = (System.nanoTime() - making) / 1e9;
      List<String> bareArchived = ShippedJar.archiveOptions(bareArchive(work, slack));
      for (int i = 0; i < starts - 1; i++) {
        startupMs.add(serveStartupMs(work.resolve("start-" + i), slack, archived));
        plainMs.add(serveStartupMs(work.resolve("plain-" + i), slack, List.of()));
        bareMs.add(bareBoltStartupMs(work.resolve("bare-" + i + ".log"), slack, List.of()));
        bareArchivedMs.add(
            bareBoltStartupMs(work.resolve("bare-archived-" + i + ".log"), slack, bareArchived));
      }
      plainMs.add(serveStartupMs(work.resolve("plain-last"), slack, List.of()));
      try (ServedBot bot =
          ServedBot.start(
              Files.createDirectories(work.resolve("start-last")),
              Map.of("bench-noop", Intents.NOOP),
              slack,
              ServedBot.CONFIG,
              archived)) {
        startupMs.add(bot.startupMs);
        bareMs.add(bareBoltStartupMs(work.resolve("bare-last.log"), slack, List.of()));
        bareArchivedMs.add(
            bareBoltStartupMs(work.resolve("bare-archived-last.log"), slack, bareArchived));
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
        double median = median(startupMs);
        double bareMedian = median(bareMs);
        return new Figures("startup")
            .put("startup_ms", median, "< 2000")
            .put("startup_ms_min", startupMs.get(0))
            .put("startup_ms_max", startupMs.get(startupMs.size() - 1))
            .put("startup_ms_without_archive", median(plainMs))
            .put("bare_bolt_startup_ms", bareMedian)
            .put("bare_bolt_startup_ms_min", bareMs.get(0))
            .put("bare_bolt_startup_ms_max", bareMs.get(bareMs.size() - 1))
            .put("bare_bolt_archived_startup_ms", median(bareArchivedMs))
            .put("startup_ratio_vs_bare_bolt", median / bareMedian, "<= 1.5")
            .put("startup_ratio_both_archived", median / median(bareArchivedMs), "<= 1.5")
            .put("startup_ratio_neither_archived", median(plainMs) / bareMedian, "<= 1.5")
            .put("class_archive_s", archiveSeconds)
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

  /** Sorts {@code ms} and returns its median. */
  private static double median(List<Double> ms) {
    ms.sort(Double::compare);
    return ms.get(ms.size() / 2);
  }

  /** Milliseconds from starting {@code serve} (with {@code jvmArgs}) to {@code /healthz}. */
  private static double serveStartupMs(Path work, FakeSlack slack, List<String> jvmArgs)
      throws Exception {
    try (ServedBot bot =
        ServedBot.start(
            Files.createDirectories(work),
            Map.of("bench-noop", Intents.NOOP),
            slack,
            ServedBot.CONFIG,
            jvmArgs)) {
      return bot.startupMs;
    }
  }

  /**
   * The class archive of the bot's jar, made as {@code ./intentbot} and the image make it: {@code
   * config/class-archive} (a start of serve on the shipped config, then SIGTERM).
   */
  static Path serveArchive(Path work) throws Exception {
    Path archive = work.resolve("intentbot.jsa");
    Process make =
        new ProcessBuilder(
                Path.of("config", "class-archive").toAbsolutePath().toString(),
                ServedBot.jar().toAbsolutePath().toString(),
                archive.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("class-archive.log").toFile())
            .start();
    if (!make.waitFor(2, TimeUnit.MINUTES) || make.exitValue() != 0) {
      throw new IllegalStateException(
          "config/class-archive failed: " + Files.readString(work.resolve("class-archive.log")));
    }
    return archive;
  }

  /**
   * The floor's own class archive, made the same way: one start of {@link BareBoltApp} until it
   * answers, then SIGTERM, with {@code -XX:ArchiveClassesAtExit}.
   */
  static Path bareArchive(Path work, FakeSlack slack) throws Exception {
    Path archive = work.resolve("bare-bolt.jsa");
    bareBoltStartupMs(
        work.resolve("bare-archive.log"),
        slack,
        Stream.concat(
                Stream.of("-XX:ArchiveClassesAtExit=" + archive), ShippedJar.QUIET_ARCHIVE.stream())
            .toList());
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("the JVM wrote no class archive for the bare Bolt app");
    }
    return archive;
  }

  /**
   * Starts {@link BareBoltApp} (the bench classpath, the same JVM options as the bot, then {@code
   * jvmArgs}) and returns the milliseconds to its first HTTP answer on {@code /slack/events}; stops
   * it.
   */
  static double bareBoltStartupMs(Path log, FakeSlack slack, List<String> jvmArgs)
      throws Exception {
    int port = JavaProcess.freePort();
    List<String> args = new ArrayList<>(jvmArgs);
    args.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BareBoltApp.class.getName(),
            String.valueOf(port),
            slack.apiUrl()));
    try (JavaProcess bare = JavaProcess.start(args, Map.of(), log)) {
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
