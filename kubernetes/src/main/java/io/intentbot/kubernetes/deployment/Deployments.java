package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading Deployments and their ReplicaSet revisions, shared by the deployment step types. */
final class Deployments {

  static final String REVISION = "deployment.kubernetes.io/revision";

  private Deployments() {}

  static Optional<Deployment> find(Cluster cluster, String name) {
    return Optional.ofNullable(
        cluster.call(
            "read deployment " + cluster.ref(name),
            c -> c.apps().deployments().inNamespace(cluster.namespace()).withName(name).get()));
  }

  static Deployment require(Cluster cluster, String name) {
    return find(cluster, name)
        .orElseThrow(
            () ->
                new ClusterAccessException("deployment " + cluster.ref(name) + " does not exist"));
  }

  /**
   * Sends a JSON Patch (RFC 6902) of {@code operations} to the Deployment. It carries no
   * resourceVersion, so another writer (the controller updating status) cannot make it conflict; a
   * {@code test} operation in it guards what it assumes instead (a 422 when that changed).
   */
  static Deployment patch(
      Cluster cluster, String what, String name, List<Map<String, Object>> operations) {
    return cluster.call(
        what + " " + cluster.ref(name),
        c ->
            c.apps()
                .deployments()
                .inNamespace(cluster.namespace())
                .withName(name)
                .patch(
                    io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                    c.getKubernetesSerialization().asJson(operations)));
  }

  /** A JSON Patch operation; {@code value} is serialised as the client serialises objects. */
  static Map<String, Object> op(String op, String path, Object value) {
    Map<String, Object> operation = new LinkedHashMap<>();
    operation.put("op", op);
    operation.put("path", path);
    if (value != null || !"remove".equals(op)) {
      operation.put("value", value);
    }
    return operation;
  }

  /** A JSON Pointer token: {@code ~} and {@code /} escaped. */
  static String pointer(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  /** Whether the Deployment is paused, when kubectl refuses to undo or restart it. */
  static boolean paused(Deployment deployment) {
    return Boolean.TRUE.equals(deployment.getSpec().getPaused());
  }

  /** Container name to image, in the order of the pod template. */
  static Map<String, String> images(PodTemplateSpec template) {
    Map<String, String> images = new LinkedHashMap<>();
    for (Container container : template.getSpec().getContainers()) {
      images.put(container.getName(), container.getImage());
    }
    return images;
  }

  static int desiredReplicas(Deployment deployment) {
    Integer replicas = deployment.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  /** The ReplicaSets the Deployment owns. */
  static List<ReplicaSet> replicaSets(Cluster cluster, Deployment deployment) {
    List<ReplicaSet> sets =
        cluster.call(
            "list replica sets in " + cluster.namespace(),
            c -> c.apps().replicaSets().inNamespace(cluster.namespace()).list().getItems());
    return owned(sets, deployment);
  }

  /** Of {@code sets}, the ReplicaSets the Deployment owns. */
  static List<ReplicaSet> owned(List<ReplicaSet> sets, Deployment deployment) {
    String uid = deployment.getMetadata().getUid();
    return sets.stream()
        .filter(rs -> ownedBy(rs, uid, deployment.getMetadata().getName()))
        .toList();
  }

  /** The ReplicaSets owned by the Deployment that carry a revision, newest revision first. */
  static List<Revision> revisions(Cluster cluster, Deployment deployment) {
    return replicaSets(cluster, deployment).stream()
        .filter(rs -> revisionOf(rs).isPresent())
        .map(
            rs ->
                new Revision(
                    revisionOf(rs).orElseThrow(),
                    rs.getMetadata().getName(),
                    images(rs.getSpec().getTemplate()),
                    rs.getMetadata().getCreationTimestamp(),
                    rs.getSpec().getTemplate(),
                    rs.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : Map.copyOf(rs.getMetadata().getAnnotations())))
        .sorted(Comparator.comparingLong(Revision::number).reversed())
        .toList();
  }

  /** The revision the Deployment is at: its annotation, else the newest ReplicaSet's. */
  static long currentRevision(Deployment deployment, List<Revision> revisions) {
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    if (annotations != null && annotations.get(REVISION) != null) {
      try {
        return Long.parseLong(annotations.get(REVISION).trim());
      } catch (NumberFormatException ignored) {
        // fall through to the newest ReplicaSet
      }
    }
    return revisions.isEmpty() ? 0 : revisions.get(0).number();
  }

  private static boolean ownedBy(ReplicaSet rs, String uid, String name) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    if (owners == null) {
      return false;
    }
    return owners.stream()
        .anyMatch(
            o ->
                "Deployment".equals(o.getKind())
                    && (uid != null ? uid.equals(o.getUid()) : name.equals(o.getName())));
  }

  private static Optional<Long> revisionOf(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    if (annotations == null || annotations.get(REVISION) == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(annotations.get(REVISION).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** One revision of a Deployment, as its ReplicaSet records it. */
  record Revision(
      long number,
      String replicaSet,
      Map<String, String> images,
      String created,
      PodTemplateSpec template,
      Map<String, String> annotations) {

    Map<String, Object> toOutput(long current) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("revision", number);
      out.put("image", images.values().stream().findFirst().orElse(""));
      out.put("images", new LinkedHashMap<>(images));
      out.put("created", created == null ? "" : created);
      out.put("replica_set", replicaSet);
      out.put("current", number == current);
      return out;
    }

    String describe() {
      return "revision " + number + " (" + String.join(", ", images.values()) + ")";
    }
  }
}
