package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kubernetes.set-image}: sets container images of a Deployment's pod template, as {@code
 * kubectl set image} does: containers and init containers, {@code *} for all of them, and the
 * revision's {@code kubernetes.io/change-cause} (what ran it, by whom). The change goes out as a
 * JSON Patch of the images only, guarded by a test of each container's name and without a
 * resourceVersion, so nothing else is touched and the controller's concurrent status writes cannot
 * make it fail with 409.
 *
 * <pre>{@code
 * with: { deployment: web, image: registry/web:1.4.2 }            # the only container, or 'container'
 * with: { deployment: web, images: { web: registry/web:1.4.2, proxy: envoy:1.30 } }
 * }</pre>
 *
 * Outputs: {@code deployment}, {@code namespace}, {@code images}, {@code previous_images}, {@code
 * changed}.
 */
public final class SetImageStepType extends KubernetesStepType<SetImageStepType.Input> {

  public static final String NAME = "kubernetes.set-image";

  /** What {@code kubectl rollout history} shows for a revision; the ReplicaSet copies it. */
  public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  /** The {@code with:} block. */
  public record Input(
      String namespace,
      String deployment,
      String container,
      String image,
      Map<String, String> images)
      implements Namespaced {
    public Input {
      images = Inputs.map(images);
    }
  }

  public SetImageStepType(ClusterAccess access) {
    super(NAME, "Set container images of a Deployment", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("deployment", "namespace", "images", "previous_images", "changed"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    var deployment = Deployments.find(cluster, name);
    if (deployment.isEmpty()) {
      Map<String, String> wanted = wanted(input, name, Map.of(), Set.of());
      return StepPlan.of(
          "Set images of deployment " + cluster.ref(name) + " (it does not exist yet): " + wanted);
    }
    Map<String, String> current = containerImages(deployment.get());
    Map<String, String> wanted = wanted(input, deployment.get(), current);
    List<String> details = changes(current, wanted);
    if (details.isEmpty()) {
      return StepPlan.of("Deployment " + cluster.ref(name) + " already runs " + wanted.values());
    }
    return StepPlan.of("Set images of deployment " + cluster.ref(name), details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    Deployment deployment = Deployments.require(cluster, name);
    Map<String, String> current = containerImages(deployment);
    Map<String, String> wanted = wanted(input, deployment, current);
    List<String> changes = changes(current, wanted);
    Map<String, String> result = new LinkedHashMap<>(current);
    result.putAll(wanted);
    if (!changes.isEmpty()) {
      changes.forEach(context.output()::line);
      String cause =
          "intentbot run "
              + context.runId()
              + " by "
              + context.requester()
              + ": set image "
              + String.join(
                  ",",
                  wanted.entrySet().stream()
                      .filter(e -> !e.getValue().equals(current.get(e.getKey())))
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .toList());
      for (int attempt = 1; ; attempt++) {
        try {
          Deployments.patch(
              cluster, "set images of deployment", name, imagePatch(deployment, wanted, cause));
          break;
        } catch (ClusterAccessException e) {
          // 422: a guarded container moved (someone else changed the template): read again
          if (attempt >= 3 || !e.getMessage().contains("HTTP 422")) {
            throw e;
          }
          deployment = Deployments.require(cluster, name);
          wanted(input, deployment, containerImages(deployment));
        }
      }
      context.output().line("deployment " + cluster.ref(name) + " updated");
    } else {
      context.output().line("deployment " + cluster.ref(name) + " already runs these images");
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("deployment", name);
    outputs.put("namespace", cluster.namespace());
    outputs.put("images", result);
    outputs.put("previous_images", current);
    outputs.put("changed", !changes.isEmpty());
    return StepResult.succeeded(outputs);
  }

  private static Map<String, String> wanted(
      Input input, Deployment deployment, Map<String, String> current) {
    Set<String> regular = Deployments.images(deployment.getSpec().getTemplate()).keySet();
    return wanted(input, deployment.getMetadata().getName(), current, regular);
  }

  /** Containers, then init containers, name to image (as kubectl set image sees them). */
  static Map<String, String> containerImages(Deployment deployment) {
    Map<String, String> images = Deployments.images(deployment.getSpec().getTemplate());
    List<Container> init = deployment.getSpec().getTemplate().getSpec().getInitContainers();
    if (init != null) {
      init.forEach(c -> images.putIfAbsent(c.getName(), c.getImage()));
    }
    return images;
  }

  /**
   * A JSON Patch replacing the images, each guarded by a {@code test} of the container's name at
   * its index, and recording {@code kubernetes.io/change-cause}. No resourceVersion: the
   * controller's status updates cannot make it conflict.
   */
  private static List<Map<String, Object>> imagePatch(
      Deployment deployment, Map<String, String> wanted, String cause) {
    List<Map<String, Object>> ops = new ArrayList<>();
    var spec = deployment.getSpec().getTemplate().getSpec();
    addImageOps(ops, "containers", spec.getContainers(), wanted);
    addImageOps(ops, "initContainers", spec.getInitContainers(), wanted);
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    if (annotations == null) {
      ops.add(Deployments.op("add", "/metadata/annotations", Map.of(CHANGE_CAUSE, cause)));
    } else {
      ops.add(
          Deployments.op(
              "add", "/metadata/annotations/" + Deployments.pointer(CHANGE_CAUSE), cause));
    }
    return ops;
  }

  private static void addImageOps(
      List<Map<String, Object>> ops,
      String list,
      List<Container> containers,
      Map<String, String> wanted) {
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String image = wanted.get(c.getName());
      if (image != null && !image.equals(c.getImage())) {
        String path = "/spec/template/spec/" + list + "/" + i;
        ops.add(Deployments.op("test", path + "/name", c.getName()));
        ops.add(Deployments.op("replace", path + "/image", image));
      }
    }
  }

  /**
   * The images wanted, by container. {@code container: "*"} (or {@code images: {"*": ...}}) means
   * every container and init container, as in {@code kubectl set image deploy/web *=image}. Without
   * {@code container}: the only container, else the one named like the deployment.
   */
  private static Map<String, String> wanted(
      Input input, String deployment, Map<String, String> current, Set<String> regular) {
    Map<String, String> given = new LinkedHashMap<>(input.images());
    if (input.image() != null) {
      String container =
          Optional.ofNullable(input.container())
              .orElseGet(
                  () -> {
                    if (regular.size() == 1) {
                      return regular.iterator().next();
                    }
                    if (regular.contains(deployment)) {
                      return deployment;
                    }
                    if (regular.isEmpty()) {
                      return "";
                    }
                    throw new IllegalArgumentException(
                        "the deployment has containers "
                            + regular
                            + " and none is named "
                            + deployment
                            + "; say which one in 'container' or use 'images'");
                  });
      given.put(container, input.image());
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    String all = given.remove("*");
    if (all != null) {
      current.keySet().forEach(c -> wanted.put(c, all));
    }
    wanted.putAll(given);
    if (!current.isEmpty()) {
      for (String container : wanted.keySet()) {
        if (!current.containsKey(container)) {
          throw new ClusterAccessException(
              "the deployment has no container '"
                  + container
                  + "' (it has "
                  + current.keySet()
                  + ")");
        }
      }
    }
    return wanted;
  }

  private static List<String> changes(Map<String, String> current, Map<String, String> wanted) {
    List<String> lines = new ArrayList<>();
    wanted.forEach(
        (container, image) -> {
          String before = current.get(container);
          if (!image.equals(before)) {
            lines.add("container " + container + ": " + before + " -> " + image);
          }
        });
    return lines;
  }
}
