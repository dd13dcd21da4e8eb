package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * {@code kubernetes.restart}: restarts a Deployment's pods with a rolling update, as {@code kubectl
 * rollout restart} does, by setting {@code kubectl.kubernetes.io/restartedAt} on its pod template.
 *
 * <pre>{@code
 * with: { deployment: web }
 * }</pre>
 *
 * Outputs: {@code restarted_at}.
 */
public final class RestartStepType extends KubernetesStepType<RestartStepType.Input> {

  public static final String NAME = "kubernetes.restart";
  public static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  /** The {@code with:} block. */
  public record Input(String namespace, String deployment) implements Namespaced {}

  public RestartStepType(ClusterAccess access) {
    super(NAME, "Restart a Deployment's pods with a rolling update", Input.class, access);
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    return Deployments.find(cluster, name)
        .map(
            d ->
                StepPlan.of(
                    "Restart deployment "
                        + cluster.ref(name)
                        + ": set "
                        + ANNOTATION
                        + " on its pod template, replacing its "
                        + Deployments.desiredReplicas(d)
                        + " pods one by one"))
        .orElse(
            StepPlan.of(
                "Restart deployment " + cluster.ref(name) + " (would fail: it does not exist)"));
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    Deployments.require(cluster, name);
    String now = clock(context).instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Deployments.edit(cluster, "restart deployment", name, d -> restarted(d, now));
    context.output().line("deployment " + cluster.ref(name) + " restarted at " + now);
    return StepResult.succeeded(Map.of("restarted_at", now));
  }

  private static Deployment restarted(Deployment d, String now) {
    return new DeploymentBuilder(d)
        .editSpec()
        .editTemplate()
        .editOrNewMetadata()
        .addToAnnotations(ANNOTATION, now)
        .endMetadata()
        .endTemplate()
        .endSpec()
        .build();
  }
}
