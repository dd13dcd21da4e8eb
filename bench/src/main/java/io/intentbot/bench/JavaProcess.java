package io.intentbot.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a real process (the packaged {@code intentbot.jar}, or a bench main class), with
 * its output in a log file, its readiness polled over HTTP and its memory read from {@code
 * /proc/PID/status}.
 */
final class JavaProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final long startedNanos;
  private final Path log;

  private JavaProcess(Process process, long startedNanos, Path log) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
  }

  /**
   * The JVM options every started process gets: those intentbot ships in {@code config/jvm.options}
   * (as {@code ./intentbot} and the image use them), then {@code BENCH_JAVA_OPTS}, which win.
   */
  static List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    Path shipped = Path.of(System.getProperty("bench.jvm.options", "config/jvm.options"));
    if (Files.isRegularFile(shipped)) {
      options.add("@" + shipped.toAbsolutePath());
    }
    String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").strip();
    if (!opts.isEmpty()) {
      options.addAll(List.of(opts.split("\\s+")));
    }
    return options;
  }

  /** Starts {@code java [opts] ARGS...} with {@code env} added to this process's environment. */
  static JavaProcess start(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    long started = System.nanoTime();
    return new JavaProcess(builder.start(), started, log);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Polls {@code url} every 5 ms until it answers (any HTTP status when {@code anyStatus}, else
   * 200); returns the milliseconds since the process was started.
   */
  double awaitAnswer(String url, boolean anyStatus, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the process ended with exit code " + process.exitValue() + ":\n" + tail());
      }
      try {
        int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (anyStatus || status == 200) {
          return (System.nanoTime() - startedNanos) / 1e6;
        }
      } catch (ConnectException e) {
        // not listening yet
      } catch (IOException e) {
        // starting up
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(url + " did not answer within " + timeout + ":\n" + tail());
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory in MB ({@code VmRSS}). */
  double rssMb() throws IOException {
    return statusField("VmRSS:") / 1024.0;
  }

  /** Live threads of the process ({@code Threads}). */
  long threads() throws IOException {
    return statusField("Threads:");
  }

  private long statusField(String name) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith(name)) {
        return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
      }
    }
    throw new IOException(name + " is not in /proc/" + pid() + "/status");
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
