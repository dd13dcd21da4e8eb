package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import io.intentbot.engine.definition.Durations;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.UntypedKubernetesStepType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubernetes.logs}: the last lines of a container's log, optionally only those newer than
 * {@code since}, written to the step output.
 *
 * <pre>{@code
 * with: { pod: web-7d9f, container: web, tail: 200, since: 15m }
 * with: { selector: app=web, tail: 50 }
 * }</pre>
 *
 * Outputs: {@code pod}, {@code logs}, {@code lines}.
 */
public final class LogsStepType extends UntypedKubernetesStepType {

  public static final String NAME = "kubernetes.logs";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,
       "oneOf":[{"required":["pod"]},{"required":["selector"]}],
       "properties":{
         "namespace":{"type":"string"},
         "pod":{"type":"string","minLength":1},
         "selector":{"type":["object","string"]},
         "container":{"type":"string"},
         "tail":{"type":["integer","string"],"description":"lines, default 100"},
         "since":{"type":"string","description":"only newer lines, e.g. 15m"}}}
      """;

  public LogsStepType(ClusterAccess access) {
    super(access, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Show the last lines of a container's log";
  }

  @Override
  public boolean pure() {
    return true;
  }

  @Override
  protected StepPlan plan(StepInput input, StepContext context, Cluster cluster) {
    return StepPlan.of(
        "Show the last "
            + input.integer("tail", 100)
            + " log lines of "
            + input
                .optionalString("pod")
                .map(cluster::ref)
                .orElse("a pod matching " + PodExec.selector(input.raw("selector")))
            + since(input).map(s -> " from the last " + Durations.format(s)).orElse(""));
  }

  @Override
  protected StepResult execute(StepInput input, StepContext context, Cluster cluster) {
    String pod =
        PodExec.choosePod(
            cluster,
            input.optionalString("pod").orElse(null),
            PodExec.selector(input.raw("selector")));
    int tail = (int) input.integer("tail", 100);
    Optional<String> container = input.optionalString("container");
    Optional<Duration> since = since(input);
    String logs =
        cluster.call(
            "read the log of pod " + cluster.ref(pod),
            c -> {
              PodResource resource = c.pods().inNamespace(cluster.namespace()).withName(pod);
              TimeTailPrettyLoggable loggable =
                  container.isPresent() ? resource.inContainer(container.get()) : resource;
              TailPrettyLoggable tailed =
                  since.isPresent()
                      ? loggable.sinceSeconds((int) since.get().toSeconds())
                      : loggable;
              return tailed.tailingLines(tail).getLog();
            });
    String text = logs == null ? "" : logs;
    context.output().lines(text);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pod", pod);
    outputs.put("logs", text);
    outputs.put("lines", text.lines().count());
    return StepResult.succeeded(outputs);
  }

  private static Optional<Duration> since(StepInput input) {
    return input.has("since")
        ? Optional.of(input.duration("since", Duration.ZERO))
        : Optional.empty();
  }
}
