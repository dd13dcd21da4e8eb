package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.logs}: the last lines of a container's log, optionally only those newer than
 * {@code since}, written to the step output.
 *
 * <pre>{@code
 * with: { pod: web-7d9f, container: web, tail: 200, since: 15m }
 * with: { selector: app=web, tail: 50 }          # the newest ready pod of the selector
 * with: { selector: app=web, previous: true }    # the previous container (a crash loop's)
 * }</pre>
 *
 * Outputs: {@code pod}, {@code logs}, {@code lines}.
 */
public final class LogsStepType extends KubernetesStepType<LogsStepType.Input> {

  public static final String NAME = "kubernetes.logs";

  /** The {@code with:} block; {@code tail} defaults to 100 lines. */
  public record Input(
      String namespace,
      String pod,
      Object selector,
      String container,
      Long tail,
      Duration since,
      boolean previous)
      implements Namespaced {
    public Input {
      tail = Inputs.or(tail, 100L);
    }
  }

  public LogsStepType(ClusterAccess access) {
    super(NAME, "Show the last lines of a container's log", Input.class, Purity.PURE, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("pod", "logs", "lines"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    return StepPlan.of(
        "Show the last "
            + input.tail()
            + " log lines of "
            + Optional.ofNullable(input.pod())
                .map(cluster::ref)
                .orElse("a pod matching " + PodExec.selector(input.selector()))
            + since(input).map(s -> " from the last " + Durations.format(s)).orElse("")
            + (input.previous() ? " (the previous container)" : ""));
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    String pod = PodExec.choosePod(cluster, input.pod(), PodExec.selector(input.selector()));
    int tail = input.tail().intValue();
    Optional<String> container = Optional.ofNullable(input.container());
    Optional<Duration> since = since(input);
    String logs =
        cluster.call(
            "read the log of pod " + cluster.ref(pod),
            c -> {
              PodResource resource = c.pods().inNamespace(cluster.namespace()).withName(pod);
              ContainerResource target =
                  container.isPresent() ? resource.inContainer(container.get()) : resource;
              // previous: the container that ran before the current one (a crash loop's)
              TimeTailPrettyLoggable loggable = input.previous() ? target.terminated() : target;
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

  private static Optional<Duration> since(Input input) {
    return input.since() != null ? Optional.of(input.since()) : Optional.empty();
  }
}
