package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Slash-command acknowledgement: signed {@code /intent bench-noop} requests at a steady rate into
 * {@code intentbot serve} (the packaged jar, a real process) and into a bare Bolt app that only
 * acknowledges ({@link BareBoltApp}, also a process), in the same run. Open loop: each request is
 * sent at its scheduled time whatever the answers before it, and its latency counts from that time
 * (no coordinated omission). The measured requests go in phases of {@value #CHUNK}, alternating
 * between the two servers, so that both meet the same background load. Every other phase also sends
 * {@code /intent help} to the bot (no run): its latency shows how much of the difference is the
 * runs' own work competing for the CPU rather than the acknowledgement path.
 */
final class AckBench {

  /** Requests per phase; phases alternate between the two servers so both see the same machine. */
  private static final int CHUNK = 100;

  /** Each measured request starts a run (one {@code set} step), as a real command would. */
  private static final String RUN = "bench-noop";

  private final int rate;
  private final int warmup;
  private final int requests;

  AckBench(int rate, int warmup, int requests) {
    this.rate = rate;
    this.warmup = warmup;
    this.requests = requests;
  }

  Figures run(Path work) throws Exception {
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ZERO);
        ServedBot bot = ServedBot.start(work, Map.of("bench-noop", Intents.NOOP), slack)) {
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
        SignedRequests bareCommands = ServedBot.signedCommands(bareUrl, slack);

        Result.load(bot.commands, RUN, rate, warmup, "warm");
        Result.load(bareCommands, RUN, rate, warmup, "warm");
        slack.resetRequests();
        Result served = new Result(new long[0], new AtomicInteger());
        Result baseline = new Result(new long[0], new AtomicInteger());
        Result help = new Result(new long[0], new AtomicInteger());
        for (int done = 0; done < requests; done += CHUNK) {
          int n = Math.min(CHUNK, requests - done);
          served = served.plus(Result.load(bot.commands, RUN, rate, n, "bench-" + done));
          baseline = baseline.plus(Result.load(bareCommands, RUN, rate, n, "bare-" + done));
          if (done % (2 * CHUNK) == 0) {
            help = help.plus(Result.load(bot.commands, "help", rate, n, "help-" + done));
          }
        }
        Latencies h = new Latencies(help.nanos);

        Latencies s = new Latencies(served.nanos);
        Latencies b = new Latencies(baseline.nanos);
        return new Figures("ack")
            .put("ack_p50_ms", s.percentileMs(50))
            .put("ack_p99_ms", s.percentileMs(99), "< 25")
            .put("ack_max_ms", s.maxMs(), "< 3000")
            .put("bare_bolt_p50_ms", b.percentileMs(50))
            .put("bare_bolt_p99_ms", b.percentileMs(99))
            .put("bare_bolt_max_ms", b.maxMs())
            .put("ack_p99_ratio_vs_bare_bolt", s.percentileMs(99) / b.percentileMs(99), "<= 1.2")
            .put("ack_help_p50_ms", h.percentileMs(50))
            .put("ack_help_p99_ms", h.percentileMs(99))
            .put("ack_help_requests", h.count())
            .put("rate_per_s", rate)
            .put("requests", requests)
            .put("warmup_requests", warmup)
            .put("ack_non_200", served.errors.get(), "== 0")
            .put("bare_bolt_non_200", baseline.errors.get())
            .put("bot_rss_mb_after", bot.process.rssMb())
            .put("cores", Runtime.getRuntime().availableProcessors());
      }
    }
  }

  /** Latencies of load phases and how many answers were not HTTP 200. */
  record Result(long[] nanos, AtomicInteger errors) {

    Result plus(Result other) {
      long[] all = java.util.Arrays.copyOf(nanos, nanos.length + other.nanos.length);
      System.arraycopy(other.nanos, 0, all, nanos.length, other.nanos.length);
      return new Result(all, new AtomicInteger(errors.get() + other.errors.get()));
    }

    static Result load(SignedRequests target, String text, int rate, int count, String name)
        throws Exception {
      long[] nanos = new long[count];
      AtomicInteger errors = new AtomicInteger();
      CompletableFuture<?>[] done = new CompletableFuture<?>[count];
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      for (int i = 0; i < count; i++) {
        long scheduled = start + i * interval;
        long wait;
        while ((wait = scheduled - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        int index = i;
        done[i] =
            target
                .commandAsync(
                    "U" + (1000 + i % 20),
                    "C0CH" + (i % 50),
                    text,
                    name + "-" + i + "-" + System.nanoTime())
                .handle(
                    (status, failure) -> {
                      nanos[index] = System.nanoTime() - scheduled;
                      if (failure != null || status != 200) {
                        errors.incrementAndGet();
                      }
                      return null;
                    });
      }
      CompletableFuture.allOf(done).get(60, TimeUnit.SECONDS);
      return new Result(nanos, errors);
    }
  }
}
