package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.PodEvents;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.pods}: the pods matching a label selector with their phase, readiness, restarts
 * and the reasons containers are waiting or were terminated (CrashLoopBackOff, OOMKilled,
 * ImagePullBackOff).
 *
 * <pre>{@code
 * with: { selector: { app: web } }        # or "app=web"; absent: every pod in the namespace
 * }</pre>
 *
 * Outputs: {@code pods} (each {@code name, phase, ready, restarts, reasons, node}), {@code total},
 * {@code ready}, {@code not_ready}, {@code namespace_exists}.
 */
public final class PodsStepType extends KubernetesStepType<PodsStepType.Input> {

  public static final String NAME = "kubernetes.pods";

  /** Events shown per pod, the latest ones, as {@code kubectl describe pod} ends with. */
  static final int EVENTS = 5;

  /** The {@code with:} block; {@code selector} a mapping or {@code key=value,...} text. */
  public record Input(String namespace, Object selector) implements Namespaced {}

  public PodsStepType(ClusterAccess access) {
    super(
        NAME,
        "Show pods with their status, restarts and reasons",
        Input.class,
        Purity.PURE,
        access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("pods", "total", "ready", "not_ready", "namespace_exists"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    Map<String, String> selector = PodExec.selector(input.selector());
    return StepPlan.of(
        "List pods in "
            + cluster.namespace()
            + (selector.isEmpty() ? "" : " matching " + selector));
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    Map<String, String> selector = PodExec.selector(input.selector());
    List<Pod> pods =
        cluster.call(
            "list pods in " + cluster.namespace(),
            c ->
                selector.isEmpty()
                    ? c.pods().inNamespace(cluster.namespace()).list().getItems()
                    : c.pods()
                        .inNamespace(cluster.namespace())
                        .withLabels(selector)
                        .list()
                        .getItems());
    List<Map<String, Object>> rows = new ArrayList<>();
    int ready = 0;
    Map<String, List<String>> events =
        pods.isEmpty()
            ? Map.of()
            : PodEvents.of(
                cluster,
                pods.stream()
                    .map(p -> p.getMetadata().getName())
                    .collect(java.util.stream.Collectors.toSet()),
                EVENTS);
    for (Pod pod :
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
      Map<String, Object> row = row(pod);
      List<String> own = events.getOrDefault(pod.getMetadata().getName(), List.of());
      row.put("events", own);
      if (Boolean.TRUE.equals(row.get("ready"))) {
        ready++;
      }
      rows.add(row);
      context
          .output()
          .line(
              row.get("name")
                  + "  "
                  + row.get("phase")
                  + "  ready="
                  + row.get("ready")
                  + "  restarts="
                  + row.get("restarts")
                  + (((List<?>) row.get("reasons")).isEmpty() ? "" : "  " + row.get("reasons"))
                  + (((List<?>) row.get("messages")).isEmpty()
                      ? ""
                      : "  "
                          + String.join(
                              "; ",
                              ((List<?>) row.get("messages"))
                                  .stream().map(String::valueOf).toList())));
      if (!Boolean.TRUE.equals(row.get("ready"))) {
        own.forEach(e -> context.output().line("  event: " + e));
      }
    }
    boolean namespaceExists =
        cluster.call(
                "read namespace " + cluster.namespace(),
                c -> c.namespaces().withName(cluster.namespace()).get())
            != null;
    if (!namespaceExists) {
      context.output().line("namespace " + cluster.namespace() + " does not exist");
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("namespace_exists", namespaceExists);
    outputs.put("pods", rows);
    outputs.put("total", rows.size());
    outputs.put("ready", ready);
    outputs.put("not_ready", rows.size() - ready);
    return StepResult.succeeded(outputs);
  }

  private static void message(List<String> messages, String who, String message) {
    if (message != null && !message.isBlank()) {
      messages.add(who + ": " + message);
    }
  }

  private static Map<String, Object> row(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    int restarts = 0;
    List<String> reasons = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    boolean allReady = !statuses.isEmpty();
    List<ContainerStatus> init =
        pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getInitContainerStatuses();
    for (ContainerStatus s : init) {
      restarts += s.getRestartCount() == null ? 0 : s.getRestartCount();
      if (s.getState() != null && s.getState().getWaiting() != null) {
        reasons.add("init " + s.getName() + ": " + s.getState().getWaiting().getReason());
        message(messages, "init " + s.getName(), s.getState().getWaiting().getMessage());
      }
      if (s.getState() != null
          && s.getState().getTerminated() != null
          && !Integer.valueOf(0).equals(s.getState().getTerminated().getExitCode())) {
        reasons.add("init " + s.getName() + ": " + s.getState().getTerminated().getReason());
      }
    }
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      pod.getStatus().getConditions().stream()
          .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
          .forEach(
              c -> {
                reasons.add(c.getReason() == null ? "not scheduled" : c.getReason());
                message(messages, "scheduler", c.getMessage());
              });
    }
    for (ContainerStatus s : statuses) {
      restarts += s.getRestartCount() == null ? 0 : s.getRestartCount();
      allReady &= Boolean.TRUE.equals(s.getReady());
      if (s.getState() != null
          && s.getState().getWaiting() != null
          && s.getState().getWaiting().getReason() != null) {
        reasons.add(s.getName() + ": " + s.getState().getWaiting().getReason());
        message(messages, s.getName(), s.getState().getWaiting().getMessage());
      }
      if (s.getState() != null
          && s.getState().getTerminated() != null
          && s.getState().getTerminated().getReason() != null) {
        reasons.add(s.getName() + ": " + s.getState().getTerminated().getReason());
      }
      if (s.getLastState() != null
          && s.getLastState().getTerminated() != null
          && s.getLastState().getTerminated().getReason() != null) {
        reasons.add(
            s.getName() + ": last terminated " + s.getLastState().getTerminated().getReason());
      }
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", pod.getMetadata().getName());
    row.put(
        "phase",
        pod.getStatus() == null || pod.getStatus().getPhase() == null
            ? "Unknown"
            : pod.getStatus().getPhase());
    row.put("ready", allReady);
    row.put("restarts", restarts);
    row.put("reasons", reasons);
    row.put("messages", messages);
    row.put(
        "node",
        pod.getSpec() == null || pod.getSpec().getNodeName() == null
            ? ""
            : pod.getSpec().getNodeName());
    return row;
  }
}
