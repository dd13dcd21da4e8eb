package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.rollout-history}: the revisions of a Deployment, read from the ReplicaSets it
 * owns ({@code deployment.kubernetes.io/revision}), newest first. Read-only, so it also runs in a
 * dry run ({@link #pure()}) and later steps can be described with real revisions.
 *
 * <pre>{@code
 * with: { deployment: web }
 * }</pre>
 *
 * Outputs: {@code revisions} (list of {@code revision, image, images, created, replica_set,
 * current}), {@code current_revision}, {@code previous_revision} (0 when there is none).
 */
public final class RolloutHistoryStepType extends KubernetesStepType<RolloutHistoryStepType.Input> {

  public static final String NAME = "kubernetes.rollout-history";

  /** The {@code with:} block. */
  public record Input(String namespace, String deployment) implements Namespaced {}

  public RolloutHistoryStepType(ClusterAccess access) {
    super(NAME, "List the revisions of a Deployment", Input.class, Purity.PURE, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("revisions", "current_revision", "previous_revision"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    return StepPlan.of("List the revisions of deployment " + cluster.ref(input.deployment()));
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    Deployment deployment = Deployments.require(cluster, input.deployment());
    List<Deployments.Revision> revisions = Deployments.revisions(cluster, deployment);
    long current = Deployments.currentRevision(deployment, revisions);
    long previous =
        revisions.stream()
            .mapToLong(Deployments.Revision::number)
            .filter(n -> n < current)
            .max()
            .orElse(0);
    for (Deployments.Revision r : revisions) {
      context
          .output()
          .line(
              (r.number() == current ? "* " : "  ")
                  + r.number()
                  + "  "
                  + String.join(", ", r.images().values())
                  + "  "
                  + (r.created() == null ? "" : r.created()));
    }
    if (revisions.isEmpty()) {
      context.output().line("no revisions recorded for " + cluster.ref(input.deployment()));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("revisions", revisions.stream().map(r -> r.toOutput(current)).toList());
    outputs.put("current_revision", current);
    outputs.put("previous_revision", previous);
    return StepResult.succeeded(outputs);
  }
}
