package io.intentbot.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The soak's figures and its verdict ({@link SoakBench}): threads and RSS in the first and second
 * half of the run after the warm-up, the heap from the GC log, the bot's own counters from {@code
 * /metrics}, and the latencies measured; throws when threads or memory grew.
 */
final class SoakFigures {

  private final Duration duration;
  private final long warmupNanos;

  SoakFigures(Duration duration, long warmupNanos) {
    this.duration = duration;
    this.warmupNanos = warmupNanos;
  }

  Figures figures(
      List<SoakBench.Sample> samples,
      List<double[]> heap,
      List<Double> afterFullGc,
      String metrics,
      ConcurrentLinkedQueue<Long> commandAcks,
      ConcurrentLinkedQueue<Long> clickAcks,
      List<Long> toCard,
      int sendErrors) {
    long t0 = samples.get(0).atNanos() + warmupNanos;
    long middle = t0 + (samples.get(samples.size() - 1).atNanos() - t0) / 2;
    long threadsFirst = 0;
    long threadsSecond = 0;
    double rssFirst = 0;
    double rssSecond = 0;
    for (SoakBench.Sample s : samples) {
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
    long threadsMax = samples.stream().mapToLong(SoakBench.Sample::threads).max().orElse(0);
    double rssMax = samples.stream().mapToDouble(SoakBench.Sample::rssMb).max().orElse(0);
    Latencies commands = new Latencies(commandAcks.stream().mapToLong(Long::longValue).toArray());
    Latencies clicks = new Latencies(clickAcks.stream().mapToLong(Long::longValue).toArray());
    Latencies cards = new Latencies(toCard.stream().mapToLong(Long::longValue).toArray());
    boolean threadsBounded =
        threadsMax < SoakBench.MAX_THREADS && threadsSecond <= threadsFirst + 20;
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
            .put("threads_max", threadsMax, "< " + SoakBench.MAX_THREADS)
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
}
