package io.intentbot.engine.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One program to run: its argument list (never a command line for a shell), the folder it runs in,
 * the variables the caller gives it, how much of each stream to keep and how long it may take.
 *
 * @param argv the program and its arguments
 * @param workdir the working folder; null for the bot's own
 * @param env the variables the caller gives; the child gets these and {@link
 *     ProcessRunner#INHERITED} from the bot, nothing else
 * @param outputLimit the most bytes of stdout (and of stderr) kept in the {@link ProcessResult}
 * @param timeout how long the program may run before it is stopped; null for no limit
 */
public record ProcessRequest(
    List<String> argv, Path workdir, Map<String, String> env, int outputLimit, Duration timeout) {

  public ProcessRequest {
    argv = List.copyOf(argv);
    if (argv.isEmpty() || argv.get(0).isBlank()) {
      throw new IllegalArgumentException("a process needs at least the program");
    }
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env)));
    if (outputLimit < 1) {
      throw new IllegalArgumentException("outputLimit must be at least 1, got " + outputLimit);
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("a timeout must be longer than zero, got " + timeout);
    }
  }

  /** The program with its arguments, the bot's folder, no variables, 64 KiB kept, no timeout. */
  public static ProcessRequest of(List<String> argv) {
    return new ProcessRequest(argv, null, Map.of(), 64 * 1024, null);
  }

  public ProcessRequest in(Path folder) {
    return new ProcessRequest(argv, folder, env, outputLimit, timeout);
  }

  public ProcessRequest withEnv(Map<String, String> variables) {
    return new ProcessRequest(argv, workdir, variables, outputLimit, timeout);
  }

  public ProcessRequest keeping(int bytes) {
    return new ProcessRequest(argv, workdir, env, bytes, timeout);
  }

  public ProcessRequest timeout(Duration limit) {
    return new ProcessRequest(argv, workdir, env, outputLimit, limit);
  }

  public String program() {
    return argv.get(0);
  }
}
