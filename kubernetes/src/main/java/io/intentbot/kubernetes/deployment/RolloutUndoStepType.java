package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
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
 * {@code kubernetes.rollout-undo}: rolls a Deployment back to the previous revision or to a given
 * one, as {@code kubectl rollout undo} does: the pod template of that revision's ReplicaSet
 * (without its {@code pod-template-hash} label) becomes the Deployment's template. The revision is
 * checked to exist before anything changes. As kubectl, it refuses a paused Deployment, restores
 * the revision's annotations (its {@code kubernetes.io/change-cause}) and sends one JSON Patch
 * without a resourceVersion, which a concurrent status update cannot make conflict.
 *
 * <pre>{@code
 * with: { deployment: web }                    # the previous revision
 * with: { deployment: web, to_revision: 3 }
 * }</pre>
 *
 * Outputs: {@code from_revision}, {@code to_revision}, {@code images}, {@code changed}.
 */
public final class RolloutUndoStepType extends KubernetesStepType<RolloutUndoStepType.Input> {

  public static final String NAME = "kubernetes.rollout-undo";

  /** The {@code with:} block; {@code to_revision} absent or 0 means the previous revision. */
  public record Input(String namespace, String deployment, Long toRevision) implements Namespaced {}

  public RolloutUndoStepType(ClusterAccess access) {
    super(NAME, "Roll a Deployment back to the previous or a given revision", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("from_revision", "to_revision", "images", "changed"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    Optional<Deployment> deployment = Deployments.find(cluster, name);
    if (deployment.isEmpty()) {
      return StepPlan.of(
          "Roll back deployment " + cluster.ref(name) + " (would fail: it does not exist)");
    }
    Choice choice = choose(input, cluster, deployment.get());
    if (choice.problem != null) {
      return StepPlan.of(
          "Roll back deployment " + cluster.ref(name) + " (would fail: " + choice.problem + ")");
    }
    return StepPlan.of(
        "Roll back deployment "
            + cluster.ref(name)
            + " from revision "
            + choice.current
            + " to "
            + choice.target.describe(),
        List.of("pod template of replica set " + choice.target.replicaSet()));
  }

  @Override
  protected boolean undoes() {
    return true;
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    Deployment deployment = Deployments.require(cluster, name);
    Choice choice = choose(input, cluster, deployment);
    if (choice.problem != null) {
      return StepResult.failed(
          "cannot roll back deployment " + cluster.ref(name) + ": " + choice.problem);
    }
    if (Deployments.paused(deployment)) {
      return StepResult.failed(
          "cannot roll back deployment "
              + cluster.ref(name)
              + ": it is paused; resume it first (kubectl rollout resume deployment/"
              + name
              + ") and try again");
    }
    PodTemplateSpec template = templateOf(choice.target);
    boolean changed = !template.equals(deployment.getSpec().getTemplate());
    if (changed) {
      context
          .output()
          .line(
              "rolling back "
                  + cluster.ref(name)
                  + " from revision "
                  + choice.current
                  + " to "
                  + choice.target.describe());
      Deployments.patch(
          cluster,
          "roll back deployment",
          name,
          List.of(
              Deployments.op("replace", "/spec/template", template),
              Deployments.op(
                  deployment.getMetadata().getAnnotations() == null ? "add" : "replace",
                  "/metadata/annotations",
                  annotations(deployment, choice.target))));
    } else {
      context
          .output()
          .line("skipped: the current template already matches " + choice.target.describe());
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("from_revision", choice.current);
    outputs.put("to_revision", choice.target.number());
    outputs.put("images", new LinkedHashMap<>(choice.target.images()));
    outputs.put("changed", changed);
    return StepResult.succeeded(outputs);
  }

  /** Annotations kubectl keeps from the Deployment when it rolls back rather than copying. */
  static final java.util.Set<String> KEPT =
      java.util.Set.of(
          "kubectl.kubernetes.io/last-applied-configuration",
          Deployments.REVISION,
          "deployment.kubernetes.io/revision-history",
          "deployment.kubernetes.io/desired-replicas",
          "deployment.kubernetes.io/max-replicas",
          "deprecated.deployment.rollback.to");

  /**
   * The Deployment's annotations after the rollback, as kubectl computes them: the revision's
   * ReplicaSet's (its change-cause among them), except {@link #KEPT}, which stay the Deployment's.
   */
  private static Map<String, String> annotations(
      Deployment deployment, Deployments.Revision revision) {
    Map<String, String> mine =
        deployment.getMetadata().getAnnotations() == null
            ? Map.of()
            : deployment.getMetadata().getAnnotations();
    Map<String, String> out = new java.util.TreeMap<>();
    mine.forEach(
        (k, v) -> {
          if (KEPT.contains(k)) {
            out.put(k, v);
          }
        });
    revision
        .annotations()
        .forEach(
            (k, v) -> {
              if (!KEPT.contains(k)) {
                out.put(k, v);
              }
            });
    return out;
  }

  private static PodTemplateSpec templateOf(Deployments.Revision revision) {
    PodTemplateSpec template = new PodTemplateSpecBuilder(revision.template()).build();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
      labels.remove("pod-template-hash");
      template.getMetadata().setLabels(labels);
    }
    return template;
  }

  private static Choice choose(Input input, Cluster cluster, Deployment deployment) {
    List<Deployments.Revision> revisions = Deployments.revisions(cluster, deployment);
    long current = Deployments.currentRevision(deployment, revisions);
    long wanted = input.toRevision() == null ? 0 : input.toRevision();
    List<Long> known = revisions.stream().map(Deployments.Revision::number).toList();
    if (wanted > 0) {
      return revisions.stream()
          .filter(r -> r.number() == wanted)
          .findFirst()
          .map(r -> new Choice(current, r, null))
          .orElseGet(
              () ->
                  new Choice(
                      current,
                      null,
                      "revision " + wanted + " does not exist (known revisions: " + known + ")"));
    }
    return revisions.stream()
        .filter(r -> r.number() < current)
        .findFirst()
        .map(r -> new Choice(current, r, null))
        .orElseGet(
            () ->
                new Choice(
                    current,
                    null,
                    "there is no revision before "
                        + current
                        + " (known revisions: "
                        + known
                        + ")"));
  }

  private record Choice(long current, Deployments.Revision target, String problem) {}
}
