package io.intentbot.bench;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.EngineFixture;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Concurrency: 200 runs of an intent that waits 1 s, submitted at once to one engine (H2 audit
 * file): wall time until the last has finished, and the JVM's peak live thread count meanwhile.
 * First with the engine as shipped (its default of 32 concurrent runs), then with room for all 200,
 * to show what running them all at once costs in threads.
 */
final class ConcurrencyBench {

  private static final int RUNS = 200;

  Figures run(Path work) throws Exception {
    Figures f = new Figures("concurrency");
    long[] shipped = measure(Files.createDirectories(work.resolve("default")), 32);
    f.put("concurrency_wall_ms_200", shipped[0], "< 3000")
        .put("concurrency_threads_200", shipped[1])
        .put("concurrency_threads_before", shipped[2])
        .put("engine_max_concurrent_runs", 32);
    long[] wide = measure(Files.createDirectories(work.resolve("wide")), RUNS);
    return f.put("concurrency_wall_ms_200_with_200_run_threads", wide[0])
        .put("concurrency_threads_200_with_200_run_threads", wide[1]);
  }

  /** {wall ms, peak live threads, live threads before}. */
  private long[] measure(Path dir, int maxRuns) throws Exception {
    try (EngineFixture local =
        BenchEngines.fixture(dir).intent("bench-wait", Intents.waits("1s"))) {
      Engine engine =
          local
              .database(AuditStores.defaultUrl(dir.resolve("data")), null, null)
              .maxConcurrentRuns(maxRuns)
              .start();
      BenchRuns.await(engine, BenchRuns.submit(engine, "bench-wait"), Duration.ofSeconds(10));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Thread.sleep(200);
      long before = threads.getThreadCount();
      threads.resetPeakThreadCount();
      long start = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        ids.add(BenchRuns.submit(engine, "bench-wait"));
      }
      for (String id : ids) {
        BenchRuns.await(engine, id, Duration.ofSeconds(60));
      }
      long wall = (System.nanoTime() - start) / 1_000_000;
      return new long[] {wall, threads.getPeakThreadCount(), before};
    }
  }
}
