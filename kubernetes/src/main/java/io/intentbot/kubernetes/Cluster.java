package io.intentbot.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The cluster as one step sees it: its client, the namespace it acts in, and every API call made
 * through {@link ResilientCalls}.
 */
public record Cluster(KubernetesClient client, ResilientCalls calls, String namespace) {

  /** One API call, retried and guarded; {@code what} completes "could not ...". */
  public <T> T call(String what, Function<KubernetesClient, T> call) {
    return calls.call(client, what, () -> call.apply(client));
  }

  public void run(String what, Consumer<KubernetesClient> call) {
    calls.run(client, what, () -> call.accept(client));
  }

  /**
   * The namespace the step acts in.
   *
   * @throws IllegalArgumentException when neither {@code with.namespace} nor the environment gives
   *     one
   */
  @Override
  public String namespace() {
    if (namespace == null) {
      throw new IllegalArgumentException(
          "'namespace' is required when the intent has no environment");
    }
    return namespace;
  }

  /** The same cluster, acting in another namespace. */
  public Cluster inNamespace(String other) {
    return new Cluster(client, calls, other);
  }

  /**
   * A custom resource of {@code kind} to create in {@code namespace}: {@code apiVersion} from the
   * kind's group and version, the labels and the spec given.
   */
  public static GenericKubernetesResource customResource(
      ResourceDefinitionContext kind,
      String name,
      String namespace,
      Map<String, String> labels,
      Map<String, Object> spec) {
    GenericKubernetesResource resource =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(kind.getGroup() + "/" + kind.getVersion())
            .withKind(kind.getKind())
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels.isEmpty() ? null : labels)
            .endMetadata()
            .build();
    resource.setAdditionalProperty("spec", spec);
    return resource;
  }

  /**
   * Creates a custom resource in this namespace; {@code what} completes "could not ...". A create
   * whose response was lost and that the retry sent again finds it there (409 AlreadyExists): when
   * it has the labels and spec asked for, that is the object created, as it would have been.
   */
  public GenericKubernetesResource create(
      String what, ResourceDefinitionContext kind, GenericKubernetesResource resource) {
    try {
      return call(
          what,
          c ->
              c.genericKubernetesResources(kind)
                  .inNamespace(namespace())
                  .resource(resource)
                  .create());
    } catch (ClusterAccessException e) {
      if (!conflict(e)) {
        throw e;
      }
      GenericKubernetesResource live =
          call(
              what,
              c ->
                  c.genericKubernetesResources(kind)
                      .inNamespace(namespace())
                      .withName(resource.getMetadata().getName())
                      .get());
      if (live == null || !sameAsAsked(resource, live)) {
        throw e;
      }
      return live;
    }
  }

  private boolean sameAsAsked(GenericKubernetesResource asked, GenericKubernetesResource live) {
    var serialization = client.getKubernetesSerialization();
    Object askedLabels =
        asked.getMetadata().getLabels() == null ? Map.of() : asked.getMetadata().getLabels();
    Object liveLabels =
        live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
    return askedLabels.equals(liveLabels)
        && serialization
            .convertValue(asked.getAdditionalProperties().get("spec"), JsonNode.class)
            .equals(
                serialization.convertValue(
                    live.getAdditionalProperties().get("spec"), JsonNode.class));
  }

  private static boolean conflict(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }

  /** {@code namespace/name}, as objects are named in messages. */
  public String ref(String name) {
    return namespace + "/" + name;
  }
}
