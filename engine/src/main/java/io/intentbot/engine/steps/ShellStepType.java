package io.intentbot.engine.steps;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.process.OutputCapture;
import io.intentbot.engine.process.ProcessRequest;
import io.intentbot.engine.process.ProcessResult;
import io.intentbot.engine.process.ProcessRunner;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
 * the step output as it comes, every stderr line with the prefix {@value #STDERR_PREFIX}. The
 * program runs through {@link ProcessRunner}: it gets the variables of {@code env:} and only {@code
 * PATH}, {@code HOME}, {@code LANG}, {@code TZ} and what {@code shell.pass_env} in config names of
 * the bot's own (see {@link PassedEnvironment}); on interruption it and its descendants get
 * SIGTERM, then SIGKILL after a short grace.
 */
public final class ShellStepType extends TypedStepType<ShellStepType.Command> {

  public static final String NAME = "shell";
  public static final String STDERR_PREFIX = "stderr| ";
  static final int DEFAULT_OUTPUT_LIMIT = 64 * 1024;

  private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private final ProcessRunner runner;

  public ShellStepType() {
    this(new ProcessRunner());
  }

  /** Children also get the bot's variables that config's {@code shell.pass_env} names. */
  public ShellStepType(IntentbotConfig config) {
    this(new ProcessRunner().passing(PassedEnvironment.names(config, System.getenv())));
  }

  /** With the runner that starts the programs (its environment, its grace before SIGKILL). */
  public ShellStepType(ProcessRunner runner) {
    super(
        NAME,
        "Run a program with an argument list (never a shell string); outputs exit_code, stdout,"
            + " stderr",
        Command.class);
    this.runner = runner;
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("exit_code", "stdout", "stderr"));
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
    StepOutput out = context.output();
    out.line("$ " + display(command.argv()));
    ProcessRequest request =
        new ProcessRequest(
            command.argv(), command.workdirPath(), command.env(), command.limit(), null);
    try {
      ProcessResult result = runner.run(request, out::line, line -> out.line(STDERR_PREFIX + line));
      return finish(
          program,
          result.exitCode(),
          result.stdout(),
          result.stderr(),
          command.allowFailure(),
          out);
    } catch (IOException e) {
      return StepResult.failed(startFailure(program, e));
    } catch (ProcessRunner.Stopped e) {
      return Cancellation.cancelled("stopped '" + program + "' (pid " + e.pid() + ")");
    }
  }

  private static StepResult finish(
      String program,
      int exitCode,
      OutputCapture stdout,
      OutputCapture stderr,
      boolean allowFailure,
      StepOutput out) {
    for (OutputCapture capture : List.of(stdout, stderr)) {
      if (capture.truncated()) {
        out.line("(output kept for the step outputs was cut at " + capture.limit() + " bytes)");
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
}
