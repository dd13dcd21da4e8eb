package io.intentbot.kubernetes.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Names;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kubernetes.pvc}: creates a PersistentVolumeClaim, grows one (only when its StorageClass
 * allows volume expansion, and never shrinking), or snapshots one through a {@code
 * snapshot.storage.k8s.io/v1} VolumeSnapshot, waiting until it is ready to use.
 *
 * <pre>{@code
 * with: { action: create, name: data-web, size: 10Gi, storage_class: fast, access_modes: [ReadWriteOnce] }
 * with: { action: resize, name: data-web, size: 20Gi }
 * with: { action: snapshot, name: data-web, snapshot: before-upgrade, snapshot_class: csi, timeout: 10m }
 * }</pre>
 *
 * Outputs: {@code name}, {@code action} (created, resized, unchanged, snapshotted), {@code size},
 * {@code previous_size}; for snapshots {@code snapshot} and {@code ready_to_use}.
 */
public final class PvcStepType extends PollingStepType<PvcStepType.Input> {

  public static final String NAME = "kubernetes.pvc";

  /**
   * The {@code with:} block. {@code size} is required to create or resize; {@code wait} (default
   * true) whether a snapshot is waited for until ready.
   */
  public record Input(
      String namespace,
      String action,
      String name,
      String size,
      String storageClass,
      List<String> accessModes,
      String snapshot,
      String snapshotClass,
      @JsonProperty("wait") Boolean waitUntilReady,
      Duration timeout,
      Duration pollInterval)
      implements Namespaced {
    public Input {
      accessModes = Inputs.list(accessModes);
    }

    String requiredSize() {
      if (size == null) {
        throw new IllegalArgumentException("'size' is required");
      }
      return size;
    }

    boolean waitForSnapshot() {
      return waitUntilReady == null || waitUntilReady;
    }
  }

  public static final ResourceDefinitionContext VOLUME_SNAPSHOTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshot")
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();

  public PvcStepType(ClusterAccess access) {
    super(NAME, "Create, grow or snapshot a PersistentVolumeClaim", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "name",
            "action",
            "size",
            "previous_size",
            "resize_pending",
            "snapshot",
            "ready_to_use"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.name();
    PersistentVolumeClaim live = live(cluster, name);
    return switch (input.action()) {
      case "create" ->
          live == null
              ? StepPlan.of(
                  "Create PVC "
                      + cluster.ref(name)
                      + " of "
                      + input.requiredSize()
                      + describeClass(input))
              : StepPlan.of(
                  "PVC "
                      + cluster.ref(name)
                      + " already exists ("
                      + size(live)
                      + "); nothing to create");
      case "resize" -> {
        try {
          Quantity from = checkResize(cluster, live, name, input.requiredSize());
          yield from == null
              ? StepPlan.of("PVC " + cluster.ref(name) + " already has " + input.requiredSize())
              : StepPlan.of(
                  "Grow PVC "
                      + cluster.ref(name)
                      + " from "
                      + from
                      + " to "
                      + input.requiredSize());
        } catch (ClusterAccessException e) {
          yield StepPlan.of(
              "Resize PVC " + cluster.ref(name) + " (would fail: " + e.getMessage() + ")");
        }
      }
      default ->
          StepPlan.of(
              "Snapshot PVC "
                  + cluster.ref(name)
                  + " as VolumeSnapshot "
                  + snapshotName(input, context)
                  + (live == null ? " (would fail: the PVC does not exist)" : ""));
    };
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    String name = input.name();
    return poll.call(() -> change(input, context, cluster, name))
        .thenCompose(
            changed ->
                changed.resized()
                    ? awaitResize(input, context, cluster, changed, poll)
                    : changed.snapshot() == null || !input.waitForSnapshot()
                        ? CompletableFuture.completedFuture(StepResult.succeeded(changed.outputs()))
                        : awaitSnapshot(input, context, cluster, changed, poll));
  }

  /**
   * What the step changed: its outputs so far, the VolumeSnapshot it created, if any, and whether
   * it asked for a bigger volume.
   */
  private record Changed(Map<String, Object> outputs, String snapshot, boolean resized) {
    Changed(Map<String, Object> outputs, String snapshot) {
      this(outputs, snapshot, false);
    }
  }

  /**
   * Waits until the claim's {@code status.capacity} reaches the size asked for, or the volume grew
   * and only the file system waits for a pod to mount it ({@code FileSystemResizePending}, which
   * succeeds and says so), as the external resizer and the kubelet report it.
   */
  private static CompletableFuture<StepResult> awaitResize(
      Input input, StepContext context, Cluster cluster, Changed changed, AsyncPoll poll) {
    String name = input.name();
    Map<String, Object> outputs = changed.outputs();
    Quantity wanted = new Quantity(input.requiredSize());
    Polling polling =
        Polling.of(
            input.timeout(), input.pollInterval(), Duration.ofMinutes(10), Duration.ofSeconds(3));
    String namespace = cluster.namespace();
    return io.intentbot.kubernetes.WatchedWait.until(
        poll,
        polling,
        cluster,
        "watch PVC " + cluster.ref(name),
        c -> c.persistentVolumeClaims().inNamespace(namespace).withName(name),
        () -> live(cluster, name),
        claim -> claim,
        (PersistentVolumeClaim claim) -> {
          Quantity capacity =
              claim == null || claim.getStatus() == null || claim.getStatus().getCapacity() == null
                  ? null
                  : claim.getStatus().getCapacity().get("storage");
          if (capacity != null
              && capacity.getNumericalAmount().compareTo(wanted.getNumericalAmount()) >= 0) {
            context.output().line("PVC " + cluster.ref(name) + " now has " + capacity);
            outputs.put("resize_pending", false);
            return Optional.of(StepResult.succeeded(outputs));
          }
          if (condition(claim, "FileSystemResizePending")) {
            context
                .output()
                .line(
                    "the volume of PVC "
                        + cluster.ref(name)
                        + " grew; its file system grows when a pod next mounts it"
                        + " (FileSystemResizePending)");
            outputs.put("resize_pending", true);
            return Optional.of(StepResult.succeeded(outputs));
          }
          return Optional.empty();
        },
        claim ->
            StepResult.failed(
                "PVC "
                    + cluster.ref(name)
                    + " did not reach "
                    + input.requiredSize()
                    + " within "
                    + Durations.format(polling.timeout())
                    + " (capacity "
                    + (claim == null || claim.getStatus() == null
                        ? null
                        : claim.getStatus().getCapacity())
                    + ", conditions "
                    + (claim == null
                            || claim.getStatus() == null
                            || claim.getStatus().getConditions() == null
                        ? "none"
                        : claim.getStatus().getConditions().stream()
                            .map(
                                c ->
                                    c.getType()
                                        + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                            .toList())
                    + ")",
                outputs),
        context.output());
  }

  private static boolean condition(PersistentVolumeClaim claim, String type) {
    return claim != null
        && claim.getStatus() != null
        && claim.getStatus().getConditions() != null
        && claim.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Changed change(Input input, StepContext context, Cluster cluster, String name) {
    PersistentVolumeClaim live = live(cluster, name);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("name", name);
    switch (input.action()) {
      case "create" -> {
        if (live != null) {
          context.output().line("PVC " + cluster.ref(name) + " already exists");
          outputs.put("action", "unchanged");
          outputs.put("size", size(live));
          break;
        }
        PersistentVolumeClaim claim =
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(cluster.namespace())
                .endMetadata()
                .withNewSpec()
                .withAccessModes(accessModes(input))
                .withStorageClassName(input.storageClass())
                .withNewResources()
                .addToRequests("storage", new Quantity(input.requiredSize()))
                .endResources()
                .endSpec()
                .build();
        cluster.call("create PVC " + cluster.ref(name), c -> c.resource(claim).create());
        context.output().line("created PVC " + cluster.ref(name) + " of " + input.requiredSize());
        outputs.put("action", "created");
        outputs.put("size", input.requiredSize());
      }
      case "resize" -> {
        String size = input.requiredSize();
        Quantity from = checkResize(cluster, live, name, size);
        outputs.put("previous_size", size(live));
        outputs.put("size", size);
        if (from == null) {
          context.output().line("PVC " + cluster.ref(name) + " already has " + size);
          outputs.put("action", "unchanged");
          break;
        }
        String patch =
            "[{\"op\":\"replace\",\"path\":\"/spec/resources/requests/storage\",\"value\":\""
                + size
                + "\"}]";
        cluster.call(
            "grow PVC " + cluster.ref(name),
            c ->
                c.persistentVolumeClaims()
                    .inNamespace(cluster.namespace())
                    .withName(name)
                    .patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                        patch));
        context
            .output()
            .line("asked PVC " + cluster.ref(name) + " to grow from " + from + " to " + size);
        outputs.put("action", "resized");
        return new Changed(outputs, null, true);
      }
      default -> {
        if (live == null) {
          throw new ClusterAccessException("PVC " + cluster.ref(name) + " does not exist");
        }
        return new Changed(outputs, snapshot(input, context, cluster, name, outputs));
      }
    }
    return new Changed(outputs, null);
  }

  /** Creates the VolumeSnapshot and returns its name. */
  private static String snapshot(
      Input input, StepContext context, Cluster cluster, String name, Map<String, Object> outputs) {
    String snapshot = snapshotName(input, context);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("source", Map.of("persistentVolumeClaimName", name));
    if (input.snapshotClass() != null) {
      spec.put("volumeSnapshotClassName", input.snapshotClass());
    }
    cluster.create(
        "create VolumeSnapshot " + cluster.ref(snapshot),
        VOLUME_SNAPSHOTS,
        Cluster.customResource(VOLUME_SNAPSHOTS, snapshot, cluster.namespace(), Map.of(), spec));
    context.output().line("created VolumeSnapshot " + cluster.ref(snapshot) + " of PVC " + name);
    outputs.put("action", "snapshotted");
    outputs.put("snapshot", snapshot);
    outputs.put("ready_to_use", false);
    return snapshot;
  }

  private static CompletableFuture<StepResult> awaitSnapshot(
      Input input, StepContext context, Cluster cluster, Changed changed, AsyncPoll poll) {
    String snapshot = changed.snapshot();
    Map<String, Object> outputs = changed.outputs();
    Polling polling =
        Polling.of(
            input.timeout(), input.pollInterval(), Duration.ofMinutes(10), Duration.ofSeconds(3));
    io.intentbot.kubernetes.ProgressLine progress =
        new io.intentbot.kubernetes.ProgressLine(context.output());
    String namespace = cluster.namespace();
    return io.intentbot.kubernetes.WatchedWait.until(
        poll,
        polling,
        cluster,
        "watch VolumeSnapshot " + cluster.ref(snapshot),
        c ->
            c.genericKubernetesResources(VOLUME_SNAPSHOTS)
                .inNamespace(namespace)
                .withName(snapshot),
        () ->
            cluster.call(
                "read VolumeSnapshot " + cluster.ref(snapshot),
                c ->
                    c.genericKubernetesResources(VOLUME_SNAPSHOTS)
                        .inNamespace(namespace)
                        .withName(snapshot)
                        .get()),
        Optional::ofNullable,
        (Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource> live) -> {
          Object ready = live.map(l -> l.<Object>get("status", "readyToUse")).orElse(null);
          Object error = live.map(l -> l.<Object>get("status", "error", "message")).orElse(null);
          if (Boolean.TRUE.equals(ready)) {
            context.output().line("VolumeSnapshot " + snapshot + " is ready to use");
            outputs.put("ready_to_use", true);
            return Optional.of(StepResult.succeeded(outputs));
          }
          if (error != null) {
            // the snapshot controller retries a failed snapshot: an error may clear
            progress.report(
                "VolumeSnapshot " + snapshot + ": " + error + " (the snapshot controller retries)");
          }
          return Optional.empty();
        },
        live ->
            StepResult.failed(
                "VolumeSnapshot "
                    + cluster.ref(snapshot)
                    + " was not ready within "
                    + Durations.format(polling.timeout())
                    + live.map(l -> l.<Object>get("status", "error", "message"))
                        .map(e -> ": " + e)
                        .orElse(""),
                outputs),
        context.output());
  }

  /** The current size when a resize is needed, null when the size is already right. */
  private static Quantity checkResize(
      Cluster cluster, PersistentVolumeClaim live, String name, String size) {
    if (live == null) {
      throw new ClusterAccessException("PVC " + cluster.ref(name) + " does not exist");
    }
    Quantity current = live.getSpec().getResources().getRequests().get("storage");
    Quantity wanted = new Quantity(size);
    int order = wanted.getNumericalAmount().compareTo(current.getNumericalAmount());
    if (order == 0) {
      return null;
    }
    if (order < 0) {
      throw new ClusterAccessException(
          "PVC "
              + cluster.ref(name)
              + " has "
              + current
              + "; volumes only grow, "
              + size
              + " is smaller");
    }
    String className = live.getSpec().getStorageClassName();
    if (className == null) {
      throw new ClusterAccessException(
          "PVC " + cluster.ref(name) + " has no storage class; cannot tell whether it can grow");
    }
    StorageClass storageClass =
        cluster.call(
            "read storage class " + className,
            c -> c.storage().v1().storageClasses().withName(className).get());
    if (storageClass == null || !Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
      throw new ClusterAccessException(
          "storage class "
              + className
              + " does not allow volume expansion (allowVolumeExpansion is not true)");
    }
    return current;
  }

  private static PersistentVolumeClaim live(Cluster cluster, String name) {
    return cluster.call(
        "read PVC " + cluster.ref(name),
        c -> c.persistentVolumeClaims().inNamespace(cluster.namespace()).withName(name).get());
  }

  private static String size(PersistentVolumeClaim claim) {
    Quantity q = claim.getSpec().getResources().getRequests().get("storage");
    return q == null ? "" : q.toString();
  }

  private static List<String> accessModes(Input input) {
    List<String> modes = input.accessModes();
    return modes.isEmpty() ? List.of("ReadWriteOnce") : modes;
  }

  private static String describeClass(Input input) {
    return input.storageClass() == null ? "" : " in storage class " + input.storageClass();
  }

  private static String snapshotName(Input input, StepContext context) {
    return Inputs.or(input.snapshot(), Names.forStep(input.name(), context));
  }
}
