package io.intentbot.kubernetes.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.kubernetes.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
    return compare(cluster, desired, false);
  }

  /**
   * As {@link #compare(Cluster, HasMetadata)}; with {@code prune}, as {@code kubectl apply}: the
   * fields the last apply set ({@link AppliedFields}) that {@code desired} no longer sets are
   * removed ({@code field: old -> (removed)}), and the fields it sets are recorded for next time.
   */
  public static Change compare(Cluster cluster, HasMetadata desired, boolean prune) {
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
    KubernetesSerialization serialization = cluster.client().getKubernetesSerialization();
    Map<String, Object> desiredMap = toMap(serialization, desired);
    HasMetadata written = prune ? recordFields(serialization, desired, desiredMap) : desired;
    if (live == null) {
      return new Change(Action.CREATED, ref, written, null, List.of(), List.of());
    }
    Map<String, Object> liveMap = toMap(serialization, live);
    List<String> differences = new ArrayList<>(ObjectDiff.differences(desiredMap, liveMap));
    List<List<String>> dropped = prune ? AppliedFields.dropped(liveMap, desiredMap) : List.of();
    boolean secret = "Secret".equals(desired.getKind());
    for (List<String> path : dropped) {
      String field = String.join(".", path);
      Object old = AppliedFields.get(liveMap, path);
      differences.add(
          field
              + ": "
              + (secret && (path.get(0).equals("data") || path.get(0).equals("stringData"))
                  ? ObjectDiff.MASK_BEFORE
                  : String.valueOf(old))
              + " -> (removed)");
    }
    return new Change(
        differences.isEmpty() ? Action.UNCHANGED : Action.CHANGED,
        ref,
        written,
        liveMap,
        differences,
        dropped);
  }

  private static HasMetadata recordFields(
      KubernetesSerialization serialization, HasMetadata desired, Map<String, Object> desiredMap) {
    HasMetadata copy = serialization.convertValue(desiredMap, desired.getClass());
    Map<String, String> annotations =
        new java.util.LinkedHashMap<>(
            copy.getMetadata().getAnnotations() == null
                ? Map.of()
                : copy.getMetadata().getAnnotations());
    annotations.put(AppliedFields.ANNOTATION, AppliedFields.encode(AppliedFields.of(desiredMap)));
    copy.getMetadata().setAnnotations(annotations);
    return copy;
  }

  static final String DRY_RUN_NOT_ALLOWED = "server-side dry run not allowed";

  /**
   * Sends the write {@code change} would make with {@code dryRun=All} ({@code kubectl apply
   * --dry-run=server}): the API server validates it and runs its admission (quotas, webhooks,
   * policies) without storing anything. Empty when it accepts the write or there is none; else what
   * it answered: its refusal, or that the dry run itself is not allowed (a 403: the write is then
   * checked only when it is made).
   */
  public static Optional<String> dryRun(Cluster cluster, Change change) {
    if (change.action() == Action.UNCHANGED) {
      return Optional.empty();
    }
    try {
      if (change.action() == Action.CREATED) {
        cluster.call(
            "dry-run the create of " + change.ref(),
            c -> c.resource(change.desired()).dryRun().create());
      } else {
        HasMetadata updated = merged(cluster, change);
        cluster.call(
            "dry-run the update of " + change.ref(), c -> c.resource(updated).dryRun().update());
      }
      return Optional.empty();
    } catch (io.intentbot.kubernetes.ClusterAccessException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k
            && k.getCode() == 403) {
          return Optional.of(DRY_RUN_NOT_ALLOWED + ": " + e.getMessage());
        }
      }
      return Optional.of("the API server refuses it (server-side dry run): " + e.getMessage());
    }
  }

  private static HasMetadata merged(Cluster cluster, Change change) {
    KubernetesSerialization serialization = cluster.client().getKubernetesSerialization();
    Map<String, Object> merged =
        ObjectDiff.merge(change.live(), toMap(serialization, change.desired()));
    change.dropped().forEach(path -> AppliedFields.remove(merged, path));
    return serialization.convertValue(merged, change.desired().getClass());
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
        HasMetadata updated = merged(cluster, change);
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
   * @param dropped the fields the last apply set that this one removes
   */
  public record Change(
      Action action,
      String ref,
      HasMetadata desired,
      Map<String, Object> live,
      List<String> differences,
      List<List<String>> dropped) {

    public Change(
        Action action,
        String ref,
        HasMetadata desired,
        Map<String, Object> live,
        List<String> differences) {
      this(action, ref, desired, live, differences, List.of());
    }

    /** Plan lines: the action and reference, then the differences indented. */
    public List<String> describe() {
      java.util.List<String> lines = new java.util.ArrayList<>();
      lines.add(action.verb() + " " + ref);
      differences.forEach(d -> lines.add("  " + d));
      return lines;
    }
  }
}
