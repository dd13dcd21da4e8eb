package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.scale}: sets the replica count of a Deployment (or a StatefulSet) with a JSON
 * Patch of {@code spec.replicas}.
 *
 * <pre>{@code
 * with: { deployment: web, replicas: 4 }
 * with: { statefulset: db, replicas: 3 }
 * }</pre>
 *
 * Outputs: {@code previous_replicas}, {@code replicas}, {@code changed}.
 */
public final class ScaleStepType extends KubernetesStepType<ScaleStepType.Input> {

  public static final String NAME = "kubernetes.scale";

  /** The {@code with:} block: one of {@code deployment} and {@code statefulset}. */
  public record Input(String namespace, String deployment, String statefulset, Long replicas)
      implements Namespaced {}

  public ScaleStepType(ClusterAccess access) {
    super(NAME, "Set the replica count of a Deployment or StatefulSet", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("previous_replicas", "replicas", "changed"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    Target target = Target.of(input);
    long replicas = replicas(input);
    Integer current = current(cluster, target);
    String what = target.kind + " " + cluster.ref(target.name);
    if (current == null) {
      return StepPlan.of("Scale " + what + " to " + replicas + " (would fail: it does not exist)");
    }
    if (current == replicas) {
      return StepPlan.of(what + " already has " + replicas + " replicas");
    }
    return StepPlan.of("Scale " + what + " from " + current + " to " + replicas + " replicas");
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    Target target = Target.of(input);
    long replicas = replicas(input);
    Integer current = current(cluster, target);
    String what = target.kind + " " + cluster.ref(target.name);
    if (current == null) {
      throw new ClusterAccessException(what + " does not exist");
    }
    if (current != replicas) {
      String patch = "[{\"op\":\"add\",\"path\":\"/spec/replicas\",\"value\":" + replicas + "}]";
      PatchContext json = PatchContext.of(PatchType.JSON);
      cluster.call(
          "scale " + what,
          c ->
              target.kind.equals("deployment")
                  ? c.apps()
                      .deployments()
                      .inNamespace(cluster.namespace())
                      .withName(target.name)
                      .patch(json, patch)
                  : c.apps()
                      .statefulSets()
                      .inNamespace(cluster.namespace())
                      .withName(target.name)
                      .patch(json, patch));
      context.output().line("scaled " + what + " from " + current + " to " + replicas);
    } else {
      context.output().line(what + " already has " + replicas + " replicas");
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("previous_replicas", current);
    outputs.put("replicas", replicas);
    outputs.put("changed", current != replicas);
    return StepResult.succeeded(outputs);
  }

  private static long replicas(Input input) {
    long replicas = input.replicas() == null ? -1 : input.replicas();
    if (replicas < 0) {
      throw new IllegalArgumentException("'replicas' must be 0 or more");
    }
    return replicas;
  }

  private static Integer current(Cluster cluster, Target target) {
    String what = "read " + target.kind + " " + cluster.ref(target.name);
    if (target.kind.equals("deployment")) {
      Deployment d =
          cluster.call(
              what,
              c ->
                  c.apps()
                      .deployments()
                      .inNamespace(cluster.namespace())
                      .withName(target.name)
                      .get());
      return d == null ? null : Deployments.desiredReplicas(d);
    }
    StatefulSet s =
        cluster.call(
            what,
            c ->
                c.apps()
                    .statefulSets()
                    .inNamespace(cluster.namespace())
                    .withName(target.name)
                    .get());
    return s == null ? null : s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
  }

  private record Target(String kind, String name) {
    static Target of(Input input) {
      return input.statefulset() != null
          ? new Target("statefulset", input.statefulset())
          : new Target("deployment", input.deployment());
    }
  }
}
