package io.intentbot.kubernetes.debug;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.engine.text.Words;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.exec}: runs a command in a pod's container and returns its output. The command
 * is an argument list, or one string split into arguments by {@link Words} (quotes group words;
 * never a shell). A non-zero exit code fails the step (with the outputs); a timeout ends it.
 *
 * <pre>{@code
 * with: { pod: web-7d9f, container: web, command: [ls, -l, /data], timeout: 30s, max_output: 65536 }
 * with: { selector: { app: web }, command: [env] }      # the first running pod that matches
 * with: { selector: { app: web }, command: "cat '/data/my file'" }
 * }</pre>
 *
 * Outputs: {@code pod}, {@code exit_code} (-1 when the command could not start or its code is
 * unknown), {@code message} (then the API server's reason, e.g. {@code exec: "nslookup": executable
 * file not found in $PATH}, which also becomes the step's failure reason), {@code stdout}, {@code
 * stderr}, {@code timed_out}, {@code truncated}.
 */
public final class ExecStepType extends KubernetesStepType<ExecStepType.Input> {

  public static final String NAME = "kubernetes.exec";

  /**
   * The {@code with:} block: {@code command} is an argument list or one line split like a shell
   * would (no shell runs it); {@code selector} a mapping or {@code key=value,...} text.
   */
  public record Input(
      String namespace,
      String pod,
      Object selector,
      String container,
      Object command,
      Duration timeout,
      Long maxOutput)
      implements Namespaced {
    public Input {
      maxOutput = Inputs.or(maxOutput, 65536L);
    }
  }

  public ExecStepType(ClusterAccess access) {
    super(NAME, "Run a command in a pod's container", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of("pod", "exit_code", "message", "stdout", "stderr", "timed_out", "truncated"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String where =
        Optional.ofNullable(input.pod())
            .map(cluster::ref)
            .orElse(
                "the first running pod in "
                    + cluster.namespace()
                    + " matching "
                    + PodExec.selector(input.selector()));
    return StepPlan.of(
        "Run "
            + describe(input)
            + " in "
            + where
            + (input.container() == null ? "" : " container " + input.container())
            + " (timeout "
            + Durations.format(timeout(input))
            + ")");
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster)
      throws InterruptedException {
    String pod = PodExec.choosePod(cluster, input.pod(), PodExec.selector(input.selector()));
    List<String> command;
    try {
      command = command(input);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
    context.output().line("$ " + String.join(" ", command) + "   (in " + cluster.ref(pod) + ")");
    PodExec.Result result =
        PodExec.run(cluster, pod, input.container(), command, timeout(input), input.maxOutput());
    context.output().lines(result.stdout());
    context.output().lines(result.stderr());
    var outputs = new java.util.LinkedHashMap<String, Object>();
    outputs.put("pod", pod);
    outputs.putAll(result.outputs());
    if (result.truncated()) {
      context.output().line("(output truncated at " + input.maxOutput() + " bytes)");
    }
    if (result.timedOut()) {
      return StepResult.failed(
          "command " + command + " did not finish within " + Durations.format(timeout(input)),
          outputs);
    }
    if (result.exitCode() < 0) {
      return StepResult.failed(
          result.message().isEmpty()
              ? "command " + command + " ended without reporting an exit code"
              : "command " + command + " could not run: " + result.message(),
          outputs);
    }
    if (result.exitCode() != 0) {
      return StepResult.failed(
          "command " + command + " exited with code " + result.exitCode(), outputs);
    }
    return StepResult.succeeded(outputs);
  }

  private static String describe(Input input) {
    try {
      return command(input).toString();
    } catch (IllegalArgumentException e) {
      return "an invalid command (" + e.getMessage() + ")";
    }
  }

  private static List<String> command(Input input) {
    if (!(input.command() instanceof String line)) {
      return input.command() instanceof List<?> list
          ? list.stream().map(String::valueOf).toList()
          : List.of(String.valueOf(input.command()));
    }
    List<String> words;
    try {
      words = Words.split(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the command has an " + e.getMessage(), e);
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("the command is empty; give at least the program to run");
    }
    return words;
  }

  private static Duration timeout(Input input) {
    return Inputs.or(input.timeout(), Duration.ofSeconds(30));
  }
}
