package io.intentbot.engine.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * Runs child processes for step types ({@code shell}, {@code sql.dump}, {@code helm}): the one
 * place that starts a program, so the rules hold for all of them.
 *
 * <ul>
 *   <li>An argument list, never a shell: no word splitting, globbing, pipes or {@code $(...)}.
 *   <li>An explicit environment: the child gets the variables of {@link ProcessRequest#env()} and,
 *       from the bot's own environment, only {@link #INHERITED} ({@code PATH}, {@code HOME}, {@code
 *       LANG}, {@code TZ}) and the names given to {@link #passing(List)}; nothing else of the bot's
 *       (no Slack tokens, no passwords).
 *   <li>Output streamed line by line as it comes (UTF-8), stdout and stderr to their own consumers,
 *       one line at a time; each stream's text kept up to the request's limit.
 *   <li>Stdin closed at once: a program waiting for input reads end of file.
 *   <li>Stopped, on thread interruption (cancellation, a step timeout) or the request's timeout,
 *       with SIGTERM to the process and every descendant, then, after a grace period, SIGKILL to
 *       what is still alive: a child that ignores SIGTERM is still gone.
 * </ul>
 *
 * <pre>{@code
 * ProcessResult result =
 *     new ProcessRunner()
 *         .run(ProcessRequest.of(List.of("helm", "history", "web")).withEnv(Map.of("KUBECONFIG", k)),
 *              out::line, line -> out.line("stderr| " + line));
 * }</pre>
 */
public final class ProcessRunner {

  /** The variables a child process gets from the bot's own environment. */
  public static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ");

  /** Time between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

  private static final long DRAIN_MILLIS = 2_000;

  private final Map<String, String> botEnvironment;
  private final Duration grace;
  private final List<String> inherited;

  /** With the bot's environment and a grace of {@link #DEFAULT_GRACE}. */
  public ProcessRunner() {
    this(System.getenv(), DEFAULT_GRACE);
  }

  /**
   * @param botEnvironment where {@link #INHERITED} values come from
   * @param grace time between SIGTERM and SIGKILL
   */
  public ProcessRunner(Map<String, String> botEnvironment, Duration grace) {
    this(botEnvironment, grace, INHERITED);
  }

  private ProcessRunner(
      Map<String, String> botEnvironment, Duration grace, List<String> inherited) {
    this.botEnvironment = Map.copyOf(botEnvironment);
    this.grace = grace;
    this.inherited = List.copyOf(inherited);
  }

  /**
   * A runner whose children also get these variables of the bot's environment (config's {@code
   * shell.pass_env}); the caller has checked that none of them is a secret of the bot's.
   */
  public ProcessRunner passing(List<String> names) {
    List<String> all = new java.util.ArrayList<>(inherited);
    names.stream().filter(n -> !all.contains(n)).forEach(all::add);
    return new ProcessRunner(botEnvironment, grace, all);
  }

  /**
   * A runner like this one whose children get {@code grace} between SIGTERM and SIGKILL when they
   * are stopped (a program that cleans up on SIGTERM, as helm rolls back, needs longer).
   */
  public ProcessRunner withGrace(Duration grace) {
    return new ProcessRunner(botEnvironment, grace, inherited);
  }

  /** The variables of the bot's environment that children get (when the bot has them). */
  public List<String> inherited() {
    return inherited;
  }

  /** Thrown when the calling thread was interrupted: the process tree has been stopped. */
  public static final class Stopped extends InterruptedException {
    private static final long serialVersionUID = 1L;
    private final long pid;

    Stopped(long pid) {
      super("stopped process " + pid);
      this.pid = pid;
    }

    public long pid() {
      return pid;
    }
  }

  /**
   * Runs the program to its end (or its timeout) and returns how it ended.
   *
   * @throws IOException when it cannot start (not found, not executable)
   * @throws Stopped when the calling thread is interrupted; the process tree is stopped first and
   *     the interrupt is consumed, as {@link InterruptedException} says
   */
  public ProcessResult run(
      ProcessRequest request, Consumer<String> stdoutLines, Consumer<String> stderrLines)
      throws IOException, Stopped {
    ProcessBuilder builder = new ProcessBuilder(request.argv());
    if (request.workdir() != null) {
      builder.directory(request.workdir().toFile());
    }
    Map<String, String> env = builder.environment();
    env.clear();
    for (String name : inherited) {
      String value = botEnvironment.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.putAll(request.env());
    Process process = builder.start();
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // the program does not read stdin
    }
    OutputCapture stdout = new OutputCapture(request.outputLimit());
    OutputCapture stderr = new OutputCapture(request.outputLimit());
    Object order = new Object();
    Thread stdoutPump =
        pump(process.getInputStream(), "stdout", line -> deliver(order, stdoutLines, stdout, line));
    Thread stderrPump =
        pump(process.getErrorStream(), "stderr", line -> deliver(order, stderrLines, stderr, line));
    boolean timedOut = false;
    try {
      if (request.timeout() == null) {
        process.waitFor();
      } else if (!process.waitFor(request.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        stop(process);
        process.waitFor();
      }
      long drainUntil = System.currentTimeMillis() + DRAIN_MILLIS;
      stdoutPump.join(DRAIN_MILLIS);
      stderrPump.join(Math.max(1, drainUntil - System.currentTimeMillis()));
    } catch (InterruptedException e) {
      stop(process);
      throw new Stopped(process.pid());
    }
    return new ProcessResult(process.pid(), process.exitValue(), timedOut, stdout, stderr);
  }

  /** SIGTERM to the process and its descendants, then SIGKILL to whatever is left after grace. */
  public void stop(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    boolean interrupted = false;
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
    }
    process.descendants().forEach(tree::add);
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deliver(
      Object order, Consumer<String> lines, OutputCapture capture, String line) {
    capture.add(line);
    synchronized (order) {
      lines.accept(line);
    }
  }

  private static Thread pump(InputStream stream, String name, Consumer<String> onLine) {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    Thread thread =
        new Thread(
            () -> {
              if (mdc != null) {
                MDC.setContextMap(mdc);
              }
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  onLine.accept(line);
                }
              } catch (IOException e) {
                // the stream was closed: the process is gone
              }
            },
            "process-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
