package io.intentbot.kubernetes.debug;

import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.params.Words;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.UntypedKubernetesStepType;
import java.time.Duration;
import java.util.List;

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
 * Outputs: {@code pod}, {@code exit_code}, {@code stdout}, {@code stderr}, {@code timed_out},
 * {@code truncated}.
 */
public final class ExecStepType extends UntypedKubernetesStepType {

  public static final String NAME = "kubernetes.exec";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["command"],
       "oneOf":[{"required":["pod"]},{"required":["selector"]}],
       "properties":{
         "namespace":{"type":"string"},
         "pod":{"type":"string","minLength":1},
         "selector":{"type":["object","string"]},
         "container":{"type":"string"},
         "command":{"oneOf":[{"type":"string","minLength":1},
           {"type":"array","minItems":1,"items":{"type":["string","number","boolean"]}}]},
         "timeout":{"type":"string","description":"default 30s"},
         "max_output":{"type":["integer","string"],"description":"bytes kept per stream, default 65536"}}}
      """;

  public ExecStepType(ClusterAccess access) {
    super(access, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Run a command in a pod's container";
  }

  @Override
  protected StepPlan plan(StepInput input, StepContext context, Cluster cluster) {
    String where =
        input
            .optionalString("pod")
            .map(cluster::ref)
            .orElse(
                "the first running pod in "
                    + cluster.namespace()
                    + " matching "
                    + PodExec.selector(input.raw("selector")));
    return StepPlan.of(
        "Run "
            + describe(input)
            + " in "
            + where
            + input.optionalString("container").map(c -> " container " + c).orElse("")
            + " (timeout "
            + Durations.format(timeout(input))
            + ")");
  }

  @Override
  protected StepResult execute(StepInput input, StepContext context, Cluster cluster)
      throws InterruptedException {
    String pod =
        PodExec.choosePod(
            cluster,
            input.optionalString("pod").orElse(null),
            PodExec.selector(input.raw("selector")));
    List<String> command;
    try {
      command = command(input);
    } catch (IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
    context.output().line("$ " + String.join(" ", command) + "   (in " + cluster.ref(pod) + ")");
    PodExec.Result result =
        PodExec.run(
            cluster,
            pod,
            input.optionalString("container").orElse(null),
            command,
            timeout(input),
            input.integer("max_output", 65536));
    context.output().lines(result.stdout());
    context.output().lines(result.stderr());
    var outputs = new java.util.LinkedHashMap<String, Object>();
    outputs.put("pod", pod);
    outputs.putAll(result.outputs());
    if (result.truncated()) {
      context
          .output()
          .line("(output truncated at " + input.integer("max_output", 65536) + " bytes)");
    }
    if (result.timedOut()) {
      return StepResult.failed(
          "command " + command + " did not finish within " + Durations.format(timeout(input)),
          outputs);
    }
    if (result.exitCode() < 0) {
      return StepResult.failed(
          "command " + command + " ended without reporting an exit code", outputs);
    }
    if (result.exitCode() != 0) {
      return StepResult.failed(
          "command " + command + " exited with code " + result.exitCode(), outputs);
    }
    return StepResult.succeeded(outputs);
  }

  private static String describe(StepInput input) {
    try {
      return command(input).toString();
    } catch (IllegalArgumentException e) {
      return "an invalid command (" + e.getMessage() + ")";
    }
  }

  private static List<String> command(StepInput input) {
    if (!(input.raw("command") instanceof String line)) {
      return input.strings("command");
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

  private static Duration timeout(StepInput input) {
    return input.duration("timeout", Duration.ofSeconds(30));
  }
}
