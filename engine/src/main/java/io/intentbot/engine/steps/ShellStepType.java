package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * {@code type: shell}: runs one program with an argument list, never through a shell.
 *
 * <pre>
 * - id: pods
 *   type: shell
 *   with:
 *     command: [kubectl, get, pods, -n, "${{ env.namespace }}"]
 *     workdir: deploy            # relative to the bot's working directory
 *     env: { KUBECONFIG: /etc/kube/config, TOKEN: "${{ params.token }}" }
 *     secret_env: [TOKEN]         # masked everywhere, left out of the plan
 *     output_limit: 65536         # bytes kept for the stdout/stderr outputs
 *     allow_failure: false        # a non-zero exit fails the step
 * </pre>
 *
 * <p>Outputs: {@code exit_code} (integer), {@code stdout} and {@code stderr} (UTF-8 text without
 * trailing newlines, each capped at {@code output_limit} bytes). Every stdout line is streamed to
 * the step output as it comes, every stderr line with the prefix {@value #STDERR_PREFIX}. On
 * interruption the process and its descendants get SIGTERM, then SIGKILL after a short grace.
 */
public final class ShellStepType extends TypedStepType<ShellStepType.Command> {

  public static final String NAME = "shell";
  public static final String STDERR_PREFIX = "stderr| ";
  static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;

  private static final long GRACE_MILLIS = 2_000;
  private static final long DRAIN_MILLIS = 2_000;
  private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  public ShellStepType() {
    super(
        NAME,
        "Run a program with an argument list (never a shell string); outputs exit_code, stdout,"
            + " stderr",
        Command.class);
  }

  @Override
  protected StepPlan plan(Command command, StepContext context) {
    List<String> details = new ArrayList<>();
    details.add("in " + command.workdirPath());
    if (!command.env().isEmpty()) {
      details.add(
          "env: "
              + command.env().entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + "="
                              + (command.secretEnv().contains(e.getKey()) ? "***" : e.getValue()))
                  .collect(Collectors.joining(", ")));
    }
    if (command.allowFailure()) {
      details.add("a non-zero exit code does not fail the step");
    }
    return StepPlan.of("would run: " + display(command.argv()), details);
  }

  @Override
  protected StepResult execute(Command command, StepContext context) {
    command.secretValues().forEach(context::addSecret);
    String program = command.argv().get(0);
    if (!Files.isDirectory(command.workdirPath())) {
      return StepResult.failed("workdir '" + command.workdirPath() + "' is not a directory");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command.argv()).directory(command.workdirPath().toFile());
    builder.environment().putAll(command.env());
    StepOutput out = synchronizedOutput(context.output());
    out.line("$ " + display(command.argv()));

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return StepResult.failed(startFailure(program, e));
    }
    Capture stdout = new Capture(command.limit());
    Capture stderr = new Capture(command.limit());
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // the program does not read stdin
    }
    Thread stdoutPump =
        pump(process.getInputStream(), "stdout", line -> out.line(stdout.add(line)));
    Thread stderrPump =
        pump(
            process.getErrorStream(), "stderr", line -> out.line(STDERR_PREFIX + stderr.add(line)));
    try {
      int exitCode = process.waitFor();
      long drainUntil = System.currentTimeMillis() + DRAIN_MILLIS;
      stdoutPump.join(DRAIN_MILLIS);
      stderrPump.join(Math.max(1, drainUntil - System.currentTimeMillis()));
      return finish(program, exitCode, stdout, stderr, command.allowFailure(), out);
    } catch (InterruptedException e) {
      long pid = process.pid();
      stop(process);
      return Cancellation.cancelled("stopped '" + program + "' (pid " + pid + ")");
    }
  }

  private static StepResult finish(
      String program,
      int exitCode,
      Capture stdout,
      Capture stderr,
      boolean allowFailure,
      StepOutput out) {
    for (Capture capture : List.of(stdout, stderr)) {
      if (capture.truncated()) {
        out.line("(output kept for the step outputs was cut at " + capture.limit + " bytes)");
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("exit_code", exitCode);
    outputs.put("stdout", stdout.text());
    outputs.put("stderr", stderr.text());
    if (exitCode == 0 || allowFailure) {
      return StepResult.succeeded(outputs);
    }
    String last = stderr.lastLine();
    return StepResult.failed(
        "'"
            + program
            + "' exited with code "
            + exitCode
            + (last.isEmpty() ? " (no stderr output)" : ": " + last),
        outputs);
  }

  /** SIGTERM to the process and its descendants, then SIGKILL to whatever is left. */
  static void stop(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        break;
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static String startFailure(String program, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("error=2,")) {
      return "program '" + program + "' not found";
    }
    if (message.contains("error=13,")) {
      return "program '" + program + "' is not executable (permission denied)";
    }
    return "could not start '" + program + "': " + message;
  }

  static Thread pump(InputStream stream, String name, Consumer<String> onLine) {
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
            "shell-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static StepOutput synchronizedOutput(StepOutput output) {
    Object lock = new Object();
    return line -> {
      synchronized (lock) {
        output.line(line);
      }
    };
  }

  /** The command line as a reader would type it: arguments with special characters quoted. */
  static String display(List<String> argv) {
    return argv.stream().map(ShellStepType::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String arg) {
    if (PLAIN_ARG.matcher(arg).matches()) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /**
   * The {@code with:} block. {@code command} is taken as given so that a single string can be
   * refused by name: it is never split into words.
   */
  record Command(
      Object command,
      String workdir,
      Map<String, String> env,
      List<String> secretEnv,
      Long outputLimit,
      boolean allowFailure) {

    Command {
      if (command instanceof String) {
        throw new IllegalArgumentException(
            "'command' must be a list of program and arguments, not a string");
      }
      List<String> argv =
          command instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
      if (command != null && (argv.isEmpty() || argv.get(0).isBlank())) {
        throw new IllegalArgumentException("'command' needs at least the program");
      }
      command = argv;
      long limit = outputLimit == null ? DEFAULT_OUTPUT_LIMIT : outputLimit;
      if (limit < 1 || limit > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "'output_limit' must be a positive number of bytes, got " + limit);
      }
      outputLimit = limit;
      workdir = workdir == null ? "." : workdir;
      env = env == null ? Map.of() : env;
      secretEnv = secretEnv == null ? List.of() : secretEnv;
    }

    /** The program and its arguments. */
    @SuppressWarnings("unchecked")
    List<String> argv() {
      return (List<String>) command;
    }

    Path workdirPath() {
      return Path.of(workdir).toAbsolutePath().normalize();
    }

    int limit() {
      return outputLimit.intValue();
    }

    /** Values of the secret variables, from env: or inherited from the bot's environment. */
    List<String> secretValues() {
      List<String> values = new ArrayList<>();
      for (String name : secretEnv) {
        String value = env.containsKey(name) ? env.get(name) : System.getenv(name);
        if (value != null && !value.isEmpty()) {
          values.add(value);
        }
      }
      return values;
    }
  }

  /** Keeps the first {@code limit} bytes of a stream's lines and its last non-blank line. */
  static final class Capture {
    final int limit;
    private final StringBuilder text = new StringBuilder();
    private int bytes;
    private boolean truncated;
    private String lastLine = "";

    Capture(int limit) {
      this.limit = limit;
    }

    synchronized String add(String line) {
      if (!line.isBlank()) {
        lastLine = line.strip();
      }
      if (truncated) {
        return line;
      }
      byte[] encoded = (text.length() == 0 ? line : "\n" + line).getBytes(StandardCharsets.UTF_8);
      int room = limit - bytes;
      if (encoded.length <= room) {
        text.append(new String(encoded, StandardCharsets.UTF_8));
        bytes += encoded.length;
      } else {
        String cut = new String(encoded, 0, room, StandardCharsets.UTF_8);
        text.append(cut.replaceAll("\uFFFD+$", ""));
        bytes = limit;
        truncated = true;
      }
      return line;
    }

    synchronized String text() {
      return text.toString().replaceAll("\n+$", "");
    }

    synchronized boolean truncated() {
      return truncated;
    }

    synchronized String lastLine() {
      return lastLine;
    }
  }
}
