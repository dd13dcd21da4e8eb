package io.intentbot.kubernetes.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.kubernetes.Cluster;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates or updates one object the way {@code kubernetes.apply} does, for every step type that
 * writes objects: compare first ({@link #compare}), then {@link #apply} what the comparison found.
 * An update lays the desired object over the live one (maps merge, lists and values replace) and
 * writes the result back whole, which the CRUD mock and real API servers treat alike.
 */
public final class Applier {

  private Applier() {}

  /** What applying {@code desired} would do; objects without a namespace get the step's. */
  public static Change compare(Cluster cluster, HasMetadata desired) {
    if (desired.getMetadata() == null || desired.getMetadata().getName() == null) {
      throw new IllegalArgumentException(
          "a manifest of kind " + desired.getKind() + " has no metadata.name");
    }
    if ((desired instanceof Namespaced || desired instanceof GenericKubernetesResource)
        && desired.getMetadata().getNamespace() == null) {
      desired.getMetadata().setNamespace(cluster.namespace());
    }
    String ref = ref(desired);
    HasMetadata live = cluster.call("read " + ref, c -> c.resource(desired).get());
    if (live == null) {
      return new Change(Action.CREATED, ref, desired, null, List.of());
    }
    KubernetesSerialization serialization = cluster.client().getKubernetesSerialization();
    Map<String, Object> liveMap = toMap(serialization, live);
    List<String> differences = ObjectDiff.differences(toMap(serialization, desired), liveMap);
    return new Change(
        differences.isEmpty() ? Action.UNCHANGED : Action.CHANGED,
        ref,
        desired,
        liveMap,
        differences);
  }

  /** Does what {@code change} found, and says so on {@code output}. */
  public static void apply(Cluster cluster, Change change, StepOutput output) {
    KubernetesSerialization serialization = cluster.client().getKubernetesSerialization();
    switch (change.action()) {
      case CREATED -> {
        try {
          cluster.call("create " + change.ref(), c -> c.resource(change.desired()).create());
        } catch (io.intentbot.kubernetes.ClusterAccessException e) {
          // A create whose response was lost and that was sent again: it exists now. Done when
          // it is what was asked for, as a create that got its answer would have been.
          HasMetadata now =
              cluster.call("read " + change.ref(), c -> c.resource(change.desired()).get());
          if (!alreadyExists(e)
              || now == null
              || !ObjectDiff.differences(
                      toMap(serialization, change.desired()), toMap(serialization, now))
                  .isEmpty()) {
            throw e;
          }
        }
      }
      case CHANGED -> {
        Map<String, Object> merged =
            ObjectDiff.merge(change.live(), toMap(serialization, change.desired()));
        HasMetadata updated = serialization.convertValue(merged, change.desired().getClass());
        cluster.call("update " + change.ref(), c -> c.resource(updated).update());
      }
      case UNCHANGED -> {}
    }
    output.line(change.action().word() + " " + change.ref());
    change.differences().forEach(d -> output.line("  " + d));
  }

  private static boolean alreadyExists(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k
          && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(KubernetesSerialization serialization, HasMetadata object) {
    return serialization.convertValue(object, Map.class);
  }

  static String ref(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return object.getKind()
        + "/"
        + (namespace == null ? "" : namespace + "/")
        + object.getMetadata().getName();
  }

  /** What applying did or would do to one object. */
  public enum Action {
    CREATED,
    CHANGED,
    UNCHANGED;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** As a plan says it: create, change, keep. */
    public String verb() {
      return switch (this) {
        case CREATED -> "create";
        case CHANGED -> "change";
        case UNCHANGED -> "unchanged";
      };
    }
  }

  /**
   * One object's comparison.
   *
   * @param live the live object as a map, or null when it does not exist
   * @param differences {@code field: old -> new} lines, empty unless CHANGED
   */
  public record Change(
      Action action,
      String ref,
      HasMetadata desired,
      Map<String, Object> live,
      List<String> differences) {

    /** Plan lines: the action and reference, then the differences indented. */
    public List<String> describe() {
      java.util.List<String> lines = new java.util.ArrayList<>();
      lines.add(action.verb() + " " + ref);
      differences.forEach(d -> lines.add("  " + d));
      return lines;
    }
  }
}
