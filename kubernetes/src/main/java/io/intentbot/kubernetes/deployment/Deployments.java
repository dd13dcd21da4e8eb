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
import java.util.function.UnaryOperator;

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
   * Edits a Deployment with fabric8's {@code edit} (a JSON Patch of the difference, sent with the
   * resourceVersion read); {@code what} completes "could not ...".
   */
  static void edit(Cluster cluster, String what, String name, UnaryOperator<Deployment> change) {
    cluster.call(
        what + " " + cluster.ref(name),
        c -> c.apps().deployments().inNamespace(cluster.namespace()).withName(name).edit(change));
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

  /** The ReplicaSets owned by the Deployment that carry a revision, newest revision first. */
  static List<Revision> revisions(Cluster cluster, Deployment deployment) {
    String uid = deployment.getMetadata().getUid();
    List<ReplicaSet> sets =
        cluster.call(
            "list replica sets in " + cluster.namespace(),
            c -> c.apps().replicaSets().inNamespace(cluster.namespace()).list().getItems());
    return sets.stream()
        .filter(rs -> ownedBy(rs, uid, deployment.getMetadata().getName()))
        .filter(rs -> revisionOf(rs).isPresent())
        .map(
            rs ->
                new Revision(
                    revisionOf(rs).orElseThrow(),
                    rs.getMetadata().getName(),
                    images(rs.getSpec().getTemplate()),
                    rs.getMetadata().getCreationTimestamp(),
                    rs.getSpec().getTemplate()))
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
      PodTemplateSpec template) {

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
