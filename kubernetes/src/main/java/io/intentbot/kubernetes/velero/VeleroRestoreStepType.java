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
 * {@code velero.restore}: restores a Completed Velero backup, optionally into other namespaces, and
 * follows the Restore like {@code velero.backup} follows a Backup. Checks first that the backup
 * exists and completed and that its storage location is Available.
 *
 * <pre>{@code
 * with:
 *   backup: shop-before-migration
 *   namespace_mapping: { shop-production: shop-restore-test }
 *   namespaces: [shop-production]         # optional: only these namespaces of the backup
 *   restore_pvs: true
 *   existing: update                      # default; or skip: existingResourcePolicy update / none
 *   name: restore-shop-1                  # default restore-<run>-<step>
 *   timeout: 4h                          # default, Velero's own item operation timeout
 * }</pre>
 *
 * Outputs: {@code name}, {@code phase}, {@code items_restored}, {@code total_items}, {@code
 * warnings}, {@code errors}, and from Velero's results and log when the restore ended
 * PartiallyFailed, Failed or with warnings ({@link VeleroExplanation}): {@code error_messages},
 * {@code warning_messages}, {@code log_lines}; a failure names the first errors.
 */
public final class VeleroRestoreStepType extends PollingStepType<VeleroRestoreStepType.Input> {

  /** Velero's own default for an item operation: waiting less gives up on a healthy backup. */
  static final Duration VELERO_TIMEOUT = Duration.ofHours(4);

  private final VeleroDownloads downloads = new VeleroDownloads();

  public static final String NAME = "velero.restore";

  /**
   * The {@code with:} block; absent optional fields stay null and are not sent to Velero, but
   * {@code existing}, which defaults to {@code update} (as restore-app's does): Velero's own
   * default, none, would leave every object that exists as it is while the restore reports
   * Completed, the surprise a restore into a live namespace must not spring.
   */
  public record Input(
      String namespace,
      String backup,
      String name,
      Map<String, String> namespaceMapping,
      List<String> namespaces,
      Boolean restorePvs,
      String existing,
      Duration timeout,
      Duration pollInterval)
      implements Namespaced {
    public Input {
      namespaceMapping = namespaceMapping == null ? null : Inputs.map(namespaceMapping);
      namespaces = namespaces == null ? null : Inputs.list(namespaces);
      existing = Inputs.or(existing, "update");
    }

    /** Velero's {@code existingResourcePolicy} for {@code existing}. */
    String existingResourcePolicy() {
      return switch (existing) {
        case "update" -> "update";
        case "skip" -> "none";
        default ->
            throw new IllegalArgumentException(
                "existing must be update or skip, not '" + existing + "'");
      };
    }
  }

  public VeleroRestoreStepType(ClusterAccess access) {
    super(NAME, "Restore a Velero backup, optionally into other namespaces", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "name",
            "phase",
            "items_restored",
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
    String backup = input.backup();
    String problem = problem(velero, backup);
    List<String> details = new ArrayList<>();
    Inputs.map(input.namespaceMapping())
        .forEach((from, to) -> details.add("namespace " + from + " restored as " + to));
    if (input.namespaces() != null) {
      details.add("only namespaces " + input.namespaces());
    }
    details.add(existingDetail(input));
    return StepPlan.of(
        "Restore Velero backup "
            + backup
            + " as restore "
            + restoreName(input, context)
            + (problem == null ? "" : " (would fail: " + problem + ")"),
        details);
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    String backup = input.backup();
    Polling polling =
        Polling.of(input.timeout(), input.pollInterval(), VELERO_TIMEOUT, Duration.ofSeconds(5));
    return poll.call(() -> create(input, context, velero, backup))
        .thenCompose(
            created ->
                created.failure() != null
                    ? CompletableFuture.completedFuture(StepResult.failed(created.failure()))
                    : Velero.follow(
                            velero,
                            Velero.RESTORES,
                            created.name(),
                            polling,
                            context.output(),
                            poll)
                        .thenCompose(
                            followed ->
                                VeleroExplanation.result(
                                    followed,
                                    true,
                                    "itemsRestored",
                                    "items_restored",
                                    velero,
                                    VeleroExplanation.WAIT,
                                    context.output(),
                                    poll,
                                    downloads)));
  }

  /** The restore created, or why it was not. */
  private record Created(String name, String failure) {}

  private static Created create(Input input, StepContext context, Cluster velero, String backup) {
    String problem = problem(velero, backup);
    if (problem != null) {
      return new Created(null, problem);
    }
    String name = restoreName(input, context);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("backupName", backup);
    if (input.namespaces() != null) {
      spec.put("includedNamespaces", input.namespaces());
    }
    if (input.namespaceMapping() != null) {
      spec.put("namespaceMapping", input.namespaceMapping());
    }
    if (input.restorePvs() != null) {
      spec.put("restorePVs", input.restorePvs());
    }
    spec.put("existingResourcePolicy", input.existingResourcePolicy());
    velero.create(
        "create Velero restore " + velero.ref(name),
        Velero.RESTORES,
        Cluster.customResource(
            Velero.RESTORES,
            name,
            velero.namespace(),
            Map.of("intentbot.io/run", context.runId()),
            spec));
    context.output().line("created Velero restore " + name + " from backup " + backup);
    return new Created(name, null);
  }

  /** What happens to objects that already exist, as Velero does it. */
  static String existingDetail(Input input) {
    String policy = input.existingResourcePolicy();
    if ("update".equals(policy)) {
      return "objects that already exist are updated to the backup's version"
          + " (existingResourcePolicy: update); volume data is not overwritten in place: an"
          + " existing PersistentVolumeClaim keeps its data";
    }
    return "objects that already exist are left as they are, only missing ones are created"
        + " (existingResourcePolicy: none); volume data is not overwritten in place";
  }

  /** Why the backup cannot be restored now, or null. */
  private static String problem(Cluster velero, String backup) {
    GenericKubernetesResource live = Velero.get(velero, Velero.BACKUPS, backup);
    if (live == null) {
      return "Velero backup " + velero.ref(backup) + " does not exist";
    }
    if (!"Completed".equals(Velero.phase(live))) {
      return "Velero backup " + backup + " is " + Velero.phase(live) + ", not Completed";
    }
    Object location = live.get("spec", "storageLocation");
    try {
      Velero.requireAvailable(velero, location == null ? "default" : String.valueOf(location));
    } catch (ClusterAccessException e) {
      return e.getMessage();
    }
    return null;
  }

  private static String restoreName(Input input, StepContext context) {
    return Inputs.or(input.name(), Names.forStep("restore", context));
  }
}
