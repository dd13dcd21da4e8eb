package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.restart}: restarts a Deployment's pods with a rolling update, as {@code kubectl
 * rollout restart} does, by setting {@code kubectl.kubernetes.io/restartedAt} on its pod template
 * with a merge patch (no resourceVersion, so no 409 against the controller's status writes). A
 * paused Deployment is refused, as kubectl refuses it.
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
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("restarted_at"));
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
    Deployment deployment = Deployments.require(cluster, name);
    if (Deployments.paused(deployment)) {
      return StepResult.failed(
          "cannot restart deployment "
              + cluster.ref(name)
              + ": it is paused (kubectl: can't restart paused deployment); resume it first with"
              + " kubectl rollout resume deployment/"
              + name);
    }
    String now = clock(context).instant().truncatedTo(ChronoUnit.SECONDS).toString();
    cluster.call(
        "restart deployment " + cluster.ref(name),
        c ->
            c.apps()
                .deployments()
                .inNamespace(cluster.namespace())
                .withName(name)
                .patch(
                    PatchContext.of(PatchType.JSON_MERGE),
                    c.getKubernetesSerialization()
                        .asJson(
                            Map.of(
                                "spec",
                                Map.of(
                                    "template",
                                    Map.of(
                                        "metadata",
                                        Map.of("annotations", Map.of(ANNOTATION, now))))))));
    context.output().line("deployment " + cluster.ref(name) + " restarted at " + now);
    return StepResult.succeeded(Map.of("restarted_at", now));
  }
}
