package io.intentbot.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs benchmarks by name ({@code ack engine thread startup catalogue concurrency}, default all;
 * {@code soak} only when named) and prints each one's figures: one JSON line on stdout, a table on
 * stderr. {@code bench/run} starts one JVM per benchmark so that none warms up another.
 */
public final class BenchMain {

  static final List<String> ALL =
      List.of("startup", "catalogue", "engine", "concurrency", "ack", "thread", "deploy", "slack");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> names = args.length == 0 ? ALL : List.of(args);
    int failures = 0;
    for (String name : names) {
      Path work = Files.createTempDirectory("intentbot-bench-" + name + "-");
      try {
        figures(name, work)
            .put("load_average_1m", loadAverage())
            .put(
                "bench_jvm_args",
                String.join(
                    " ",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()))
            .print(System.out, System.err);
      } catch (Exception e) {
        failures++;
        System.err.println("benchmark " + name + " failed: " + e);
        e.printStackTrace();
      } finally {
        if (!Boolean.getBoolean("bench.keep")) {
          delete(work);
        } else {
          System.err.println("kept " + work);
        }
      }
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  static Figures figures(String name, Path work) throws Exception {
    return switch (name) {
      case "ack" ->
          new AckBench(
                  Integer.getInteger("bench.ack.rate", 50),
                  Integer.getInteger("bench.ack.warmup", 250),
                  Integer.getInteger("bench.ack.requests", 1000))
              .run(work);
      case "engine" -> new EngineBench(20, 30).run(work);
      case "thread" -> new ThreadBench().run(work);
      case "startup" -> new StartupBench(3, Integer.getInteger("bench.runs", 1000)).run(work);
      case "catalogue" -> new CatalogueBench(5).run(work);
      case "concurrency" -> new ConcurrencyBench().run(work);
      case "slack" -> new SlackBench(Integer.getInteger("bench.slack.commands", 300)).run(work);
      case "soak" ->
          new SoakBench(
                  Duration.ofSeconds(
                      Math.round(
                          60 * Double.parseDouble(System.getProperty("bench.soak.minutes", "30")))))
              .run(work);
      case "deploy" -> {
        Figures figures = new Figures("deploy");
        io.intentbot.kubernetes.testing.DeployBenchmark.measure().forEach(figures::put);
        yield figures;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown benchmark " + name + "; known: " + String.join(" ", ALL) + " soak");
    };
  }

  /** The machine's 1-minute load average: other work on it shows in the latencies. */
  static Object loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return null;
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
