package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code velero.backup}: creates a Velero Backup of namespaces or of objects matching labels, after
 * checking that its storage location is Available, and follows it to Completed. Failed,
 * PartiallyFailed and FailedValidation fail the step with Velero's reason.
 *
 * <pre>{@code
 * with:
 *   namespaces: [shop-production]        # default: the environment's namespace for the app
 *   selector: { app: shop }              # optional label selector
 *   name: shop-before-migration          # default backup-<run>-<step>
 *   storage_location: primary           # default: config velero.storage_location, else the one
 *                                        # marked spec.default: true
 *   ttl: 7d                              # sent in Go's format, 168h0m0s (720h0m0s by default)
 *   labels: { reason: pre-migration }
 *   hooks:                               # commands Velero runs in the pods it backs up
 *     - selector: { app: db }            # (spec.hooks.resources, see BackupHook)
 *       pre: [{ container: db, command: [/bin/sh, -c, 'pg_dump shop > /backup/db.sql'] }]
 *   timeout: 4h                          # default, Velero's own item operation timeout
 *   poll_interval: 5s
 * }</pre>
 *
 * The Backup is labelled {@code intentbot.io/run}, {@code intentbot.io/app} and {@code
 * intentbot.io/environment}. Outputs: {@code name}, {@code phase}, {@code items_backed_up}, {@code
 * total_items}, {@code warnings}, {@code errors}, and from Velero's results and log when the backup
 * ended PartiallyFailed, Failed or with warnings ({@link VeleroExplanation}): {@code
 * error_messages}, {@code warning_messages}, {@code log_lines}; a failure names the first errors.
 */
public final class VeleroBackupStepType extends PollingStepType<VeleroBackupStepType.Input> {

  /** Velero's own default for an item operation: waiting less gives up on a healthy backup. */
  static final Duration VELERO_TIMEOUT = Duration.ofHours(4);

  private final VeleroDownloads downloads = new VeleroDownloads();

  public static final String NAME = "velero.backup";

  /**
   * The {@code with:} block; {@code selector} stays null when absent (then the backup covers the
   * app namespace, else every namespace).
   */
  public record Input(
      String namespace,
      String name,
      List<String> namespaces,
      Map<String, String> selector,
      String storageLocation,
      String ttl,
      Boolean snapshotVolumes,
      Boolean fsBackup,
      Boolean snapshotMoveData,
      List<BackupHook> hooks,
      Map<String, String> labels,
      Duration timeout,
      Duration pollInterval)
      implements Namespaced {
    public Input {
      namespaces = Inputs.list(namespaces);
      selector = selector == null ? null : Inputs.map(selector);
      ttl = Inputs.or(ttl, "720h");
      hooks = Inputs.list(hooks);
      labels = Inputs.map(labels);
    }
  }

  public VeleroBackupStepType(ClusterAccess access) {
    super(
        NAME,
        "Back up namespaces with Velero and wait for the backup to complete",
        Input.class,
        access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "name",
            "phase",
            "items_backed_up",
            "total_items",
            "warnings",
            "errors",
            "error_messages",
            "warning_messages",
            "log_lines"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    String location;
    String problem;
    try {
      location = location(input, context, velero);
      problem = Velero.locationProblem(velero, location);
    } catch (ClusterAccessException e) {
      location = "(none)";
      problem = e.getMessage();
    }
    String summary =
        "Create Velero backup "
            + Inputs.or(input.name(), Names.forStep("backup", context))
            + " of "
            + scope(input, cluster)
            + " in storage location "
            + location
            + (problem == null ? "" : " (would fail: " + problem + ")");
    String ttl;
    try {
      ttl = "ttl " + Velero.goDuration(input.ttl(), "ttl") + " (as Velero reads it)";
    } catch (IllegalArgumentException e) {
      ttl = "would fail: " + e.getMessage();
    }
    List<String> details = new ArrayList<>(List.of(ttl));
    details.addAll(BackupHook.describe(input.hooks()));
    return StepPlan.of(summary, details);
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    Polling polling =
        Polling.of(input.timeout(), input.pollInterval(), VELERO_TIMEOUT, Duration.ofSeconds(5));
    return poll.call(
            () -> {
              String location = location(input, context, velero);
              Velero.requireAvailable(velero, location);
              GenericKubernetesResource backup = backup(input, context, cluster, location);
              String name = backup.getMetadata().getName();
              velero.create("create Velero backup " + velero.ref(name), Velero.BACKUPS, backup);
              context
                  .output()
                  .line("created Velero backup " + name + " of " + scope(input, cluster));
              return name;
            })
        .thenCompose(
            name -> Velero.follow(velero, Velero.BACKUPS, name, polling, context.output(), poll))
        .thenCompose(
            followed ->
                VeleroExplanation.result(
                    followed,
                    false,
                    "itemsBackedUp",
                    "items_backed_up",
                    velero,
                    VeleroExplanation.WAIT,
                    context.output(),
                    poll,
                    downloads));
  }

  private static String scope(Input input, Cluster cluster) {
    List<String> namespaces = namespaces(input, cluster);
    Map<String, String> selector = Inputs.map(input.selector());
    return (namespaces.equals(List.of("*")) ? "all namespaces" : "namespaces " + namespaces)
        + (selector.isEmpty() ? "" : " (objects labelled " + selector + ")");
  }

  private static List<String> namespaces(Input input, Cluster cluster) {
    List<String> namespaces = input.namespaces();
    if (!namespaces.isEmpty()) {
      return namespaces;
    }
    return input.selector() != null ? List.of("*") : List.of(cluster.namespace());
  }

  private static String location(Input input, StepContext context, Cluster velero) {
    return input.storageLocation() != null
        ? input.storageLocation()
        : Velero.defaultLocation(velero, context.config());
  }

  private static GenericKubernetesResource backup(
      Input input, StepContext context, Cluster cluster, String location) {
    String name = Inputs.or(input.name(), Names.forStep("backup", context));
    Map<String, String> labels = new LinkedHashMap<>(input.labels());
    labels.put("intentbot.io/run", context.runId());
    context.app().ifPresent(app -> labels.put("intentbot.io/app", app));
    context.environment().ifPresent(env -> labels.put("intentbot.io/environment", env.name()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("includedNamespaces", namespaces(input, cluster));
    spec.put("storageLocation", location);
    spec.put("ttl", Velero.goDuration(input.ttl(), "ttl"));
    if (input.selector() != null) {
      spec.put("labelSelector", Map.of("matchLabels", input.selector()));
    }
    if (input.snapshotVolumes() != null) {
      spec.put("snapshotVolumes", input.snapshotVolumes());
    }
    if (input.fsBackup() != null) {
      // velero backup create --default-volumes-to-fs-backup: volumes copied by the node agent
      spec.put("defaultVolumesToFsBackup", input.fsBackup());
    }
    if (input.snapshotMoveData() != null) {
      // velero backup create --snapshot-move-data: CSI snapshots moved to the storage location
      spec.put("snapshotMoveData", input.snapshotMoveData());
    }
    Map<String, Object> hooks = BackupHook.spec(input.hooks());
    if (hooks != null) {
      spec.put("hooks", hooks);
    }
    return Cluster.customResource(
        Velero.BACKUPS, name, Velero.namespace(context.config()), labels, spec);
  }
}
