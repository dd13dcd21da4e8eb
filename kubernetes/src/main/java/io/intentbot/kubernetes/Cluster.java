package io.intentbot.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
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

  /** {@code namespace/name}, as objects are named in messages. */
  public String ref(String name) {
    return namespace + "/" + name;
  }
}
