package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code java @config/jvm.options -jar target/intentbot.jar ARGS}, see {@link
 * io.intentbot.bot.testing.ShippedJar}) as a process of its own, in a folder, with the environment
 * given; its stdout and stderr go to {@code NAME.out} and {@code NAME.err} there.
 *
 * <p>It is started through {@code env --default-signal=INT} (GNU coreutils), which then execs java
 * in the same process: a command started in the background by a non-interactive shell (as a CI job
 * may start the build) ignores SIGINT, every process it starts inherits that, and a JVM never hands
 * an ignored signal to its handlers, so the tests of Ctrl-C would fail for a reason of the
 * runner's, not intentbot's.
 */
final class CliProcess {

  record Exit(int code, String out, String err) {}

  final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** The process builder, outputs not yet redirected: for callers that need more (a stdin pipe). */
  static ProcessBuilder builder(Path dir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
    command.addAll(io.intentbot.bot.testing.ShippedJar.command(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("KUBERNETES_SERVICE_HOST");
    builder.environment().putAll(env);
    return builder;
  }

  /** Starts {@code intentbot ARGS}; {@code name} names its output files. */
  static CliProcess start(Path dir, String name, Map<String, String> env, String... args)
      throws IOException {
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder = builder(dir, env, args);
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new CliProcess(builder.start(), out, err);
  }

  /** Runs {@code intentbot ARGS} to its end (at most a minute). */
  static Exit run(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return start(dir, "cli", env, args).exit();
  }

  String out() throws IOException {
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  String err() throws IOException {
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  /**
   * Sends {@code signal} ({@code INT}, {@code TERM}, {@code KILL}) as {@code kill -SIGNAL} does.
   */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
  }

  /** Waits for the end (at most a minute) and returns the exit code and outputs. */
  Exit exit() throws IOException, InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("intentbot finished").isTrue();
    return new Exit(process.exitValue(), out(), err());
  }
}
