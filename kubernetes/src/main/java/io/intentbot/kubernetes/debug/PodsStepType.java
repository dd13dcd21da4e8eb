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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    for (Pod pod :
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
      Map<String, Object> row = row(pod);
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
                  + (((List<?>) row.get("reasons")).isEmpty() ? "" : "  " + row.get("reasons")));
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

  private static Map<String, Object> row(Pod pod) {
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    int restarts = 0;
    List<String> reasons = new ArrayList<>();
    boolean allReady = !statuses.isEmpty();
    for (ContainerStatus s : statuses) {
      restarts += s.getRestartCount() == null ? 0 : s.getRestartCount();
      allReady &= Boolean.TRUE.equals(s.getReady());
      if (s.getState() != null
          && s.getState().getWaiting() != null
          && s.getState().getWaiting().getReason() != null) {
        reasons.add(s.getName() + ": " + s.getState().getWaiting().getReason());
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
    row.put(
        "node",
        pod.getSpec() == null || pod.getSpec().getNodeName() == null
            ? ""
            : pod.getSpec().getNodeName());
    return row;
  }
}
