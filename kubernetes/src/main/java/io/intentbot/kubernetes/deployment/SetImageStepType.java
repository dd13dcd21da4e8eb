package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
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

/**
 * {@code kubernetes.set-image}: sets container images of a Deployment's pod template. The change
 * goes out as a JSON Patch of the images only, so nothing else in the Deployment is touched.
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
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    var deployment = Deployments.find(cluster, name);
    if (deployment.isEmpty()) {
      Map<String, String> wanted = wanted(input, Map.of());
      return StepPlan.of(
          "Set images of deployment " + cluster.ref(name) + " (it does not exist yet): " + wanted);
    }
    Map<String, String> current = Deployments.images(deployment.get().getSpec().getTemplate());
    Map<String, String> wanted = wanted(input, current);
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
    Map<String, String> current = Deployments.images(deployment.getSpec().getTemplate());
    Map<String, String> wanted = wanted(input, current);
    List<String> changes = changes(current, wanted);
    Map<String, String> result = new LinkedHashMap<>(current);
    result.putAll(wanted);
    if (!changes.isEmpty()) {
      changes.forEach(context.output()::line);
      Deployments.edit(cluster, "set images of deployment", name, d -> withImages(d, wanted));
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

  private static Deployment withImages(Deployment deployment, Map<String, String> wanted) {
    Deployment copy = new DeploymentBuilder(deployment).build();
    copy.getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .forEach(c -> c.setImage(wanted.getOrDefault(c.getName(), c.getImage())));
    return copy;
  }

  private static Map<String, String> wanted(Input input, Map<String, String> current) {
    Map<String, String> wanted = new LinkedHashMap<>(input.images());
    if (input.image() != null) {
      String container =
          Optional.ofNullable(input.container())
              .orElseGet(
                  () -> {
                    if (current.size() > 1) {
                      throw new IllegalArgumentException(
                          "the deployment has containers "
                              + current.keySet()
                              + "; say which one in 'container' or use 'images'");
                    }
                    return current.isEmpty() ? "" : current.keySet().iterator().next();
                  });
      wanted.put(container, input.image());
    }
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
