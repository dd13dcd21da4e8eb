package io.intentbot.kubernetes.velero;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code velero.describe}: a backup's phase, namespaces and resource list. The list comes through a
 * Velero DownloadRequest (kind BackupResourceList), which the Velero server answers with a URL into
 * the storage location, downloaded trusting the location's {@code spec.objectStorage.caCertRef} or
 * {@code caCert} as well as the system's CAs; the request is deleted afterwards ({@link
 * VeleroDownloads}). When the location does not serve it in time, the step says so and still
 * succeeds with {@code available: false}.
 *
 * <p>Pure in the sense of {@link io.intentbot.engine.step.StepType#pure()}: like {@code velero
 * backup describe --details}, it only reads; the DownloadRequest is Velero's way of asking for a
 * read and is gone when the step ends. So approval plans can list what a restore would bring back;
 * while planning it waits at most {@link #PLANNING_WAIT} for the list.
 *
 * <pre>{@code
 * with: { backup: shop-before-migration, timeout: 1m }
 * }</pre>
 *
 * Outputs: {@code backup}, {@code phase}, {@code namespaces}, {@code available}, {@code kinds}
 * ({@code "kind: count"} lines), {@code resources} (kind to {@code namespace/name} list), {@code
 * resource_count}, {@code message}.
 */
public final class VeleroDescribeStepType extends PollingStepType<VeleroDescribeStepType.Input> {

  public static final String NAME = "velero.describe";

  /** The {@code with:} block. */
  public record Input(String namespace, String backup, Duration timeout, Duration pollInterval)
      implements Namespaced {}

  private static final ObjectMapper JSON = Json.MAPPER;

  /** While a plan is made (someone waits for it in chat), the list is waited for this long. */
  static final Duration PLANNING_WAIT = Duration.ofSeconds(10);

  private final VeleroDownloads downloads = new VeleroDownloads();

  public VeleroDescribeStepType(ClusterAccess access) {
    super(
        NAME,
        "Describe a Velero backup and list the resources in it",
        Input.class,
        Purity.PURE,
        access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "backup",
            "phase",
            "namespaces",
            "available",
            "kinds",
            "resources",
            "resource_count",
            "message"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    return StepPlan.of(
        "Describe Velero backup "
            + input.backup()
            + " (reads its resource list through a temporary DownloadRequest)");
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    String name = input.backup();
    Polling polling =
        Polling.of(
            input.timeout(), input.pollInterval(), Duration.ofMinutes(1), Duration.ofSeconds(1));
    Polling wait =
        context.dryRun() && polling.timeout().compareTo(PLANNING_WAIT) > 0
            ? polling.withTimeout(PLANNING_WAIT)
            : polling;
    return poll.call(() -> describe(velero, name, context))
        .thenCompose(
            described ->
                described.problem() == null
                    ? resources(velero, name, described.outputs(), wait, context, poll)
                    : CompletableFuture.completedFuture(
                        unavailable(context, described.outputs(), described.problem())));
  }

  /** The backup's outputs so far, and why its resource list cannot be read (null if it can). */
  private record Described(Map<String, Object> outputs, String problem) {}

  private static Described describe(Cluster velero, String name, StepContext context) {
    GenericKubernetesResource backup = Velero.get(velero, Velero.BACKUPS, name);
    if (backup == null) {
      throw new ClusterAccessException("Velero backup " + velero.ref(name) + " does not exist");
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("backup", name);
    outputs.put("phase", Velero.phase(backup));
    Object namespaces = backup.get("spec", "includedNamespaces");
    outputs.put(
        "namespaces",
        namespaces instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of());
    context
        .output()
        .line(
            "backup "
                + name
                + ": "
                + outputs.get("phase")
                + ", namespaces "
                + outputs.get("namespaces"));
    Object location = backup.get("spec", "storageLocation");
    return new Described(
        outputs,
        Velero.locationProblem(velero, location == null ? "default" : String.valueOf(location)));
  }

  /**
   * Asks for the resource list with a DownloadRequest (deleted afterwards), trusting the storage
   * location's CA, and reads it.
   */
  private CompletableFuture<StepResult> resources(
      Cluster velero,
      String backup,
      Map<String, Object> outputs,
      Polling polling,
      StepContext context,
      AsyncPoll poll) {
    return downloads
        .download(
            velero,
            VeleroDownloads.Target.BACKUP_RESOURCE_LIST,
            backup,
            polling,
            context.output(),
            poll)
        .thenApply(
            downloaded ->
                downloaded.problem() != null
                    ? unavailable(context, outputs, downloaded.problem())
                    : listed(downloaded.content(), outputs, context));
  }

  private static StepResult listed(String json, Map<String, Object> outputs, StepContext context) {
    Map<String, List<String>> resources;
    try {
      resources =
          new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, List<String>>>() {}));
    } catch (IOException e) {
      return unavailable(
          context, outputs, "the resource list is not Velero's JSON: " + e.getMessage());
    }
    int count = resources.values().stream().mapToInt(List::size).sum();
    List<String> kinds =
        resources.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().size()).toList();
    kinds.forEach(context.output()::line);
    outputs.put("available", true);
    outputs.put("kinds", kinds);
    outputs.put("resources", resources);
    outputs.put("resource_count", count);
    outputs.put("message", count + " resources in " + resources.size() + " kinds");
    return StepResult.succeeded(outputs);
  }

  private static StepResult unavailable(
      StepContext context, Map<String, Object> outputs, String why) {
    context.output().line("resource list not available: " + why);
    outputs.put("available", false);
    outputs.put("kinds", List.of());
    outputs.put("resources", Map.of());
    outputs.put("resource_count", 0);
    outputs.put("message", why);
    return StepResult.succeeded(outputs);
  }
}
