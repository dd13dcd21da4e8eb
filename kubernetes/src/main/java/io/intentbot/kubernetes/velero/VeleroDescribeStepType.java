package io.intentbot.kubernetes.velero;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Names;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * {@code velero.describe}: a backup's phase, namespaces and resource list. The list comes through a
 * Velero DownloadRequest (kind BackupResourceList), which the Velero server answers with a URL into
 * the storage location; the request is deleted afterwards. When the location does not serve it in
 * time, the step says so and still succeeds with {@code available: false}.
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

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

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

  /** Asks for the resource list with a DownloadRequest, reads it, and deletes the request. */
  private CompletableFuture<StepResult> resources(
      Cluster velero,
      String backup,
      Map<String, Object> outputs,
      Polling polling,
      StepContext context,
      AsyncPoll poll) {
    String request = Names.forStep("describe", context);
    CompletableFuture<StepResult> listed =
        poll.call(
                () -> {
                  createRequest(velero, request, backup);
                  return request;
                })
            .thenCompose(
                created ->
                    poll.until(
                        polling,
                        () -> Velero.get(velero, Velero.DOWNLOAD_REQUESTS, request),
                        live -> url(live),
                        live -> null))
            .thenCompose(
                url ->
                    url == null
                        ? CompletableFuture.completedFuture(
                            unavailable(
                                context,
                                outputs,
                                "the storage location did not serve the resource list within "
                                    + Durations.format(polling.timeout())))
                        : poll.call(() -> listed(url, outputs, context)));
    return poll.ensure(listed, () -> deleteRequest(velero, request, context));
  }

  private static Optional<String> url(GenericKubernetesResource live) {
    Object url = live == null ? null : live.get("status", "downloadURL");
    return live != null && "Processed".equals(live.get("status", "phase")) && url != null
        ? Optional.of(String.valueOf(url))
        : Optional.empty();
  }

  private StepResult listed(String url, Map<String, Object> outputs, StepContext context)
      throws InterruptedException {
    Map<String, List<String>> resources = new TreeMap<>(fetch(url));
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

  private static void deleteRequest(Cluster velero, String request, StepContext context) {
    try {
      velero.run(
          "delete DownloadRequest " + velero.ref(request),
          c ->
              c.genericKubernetesResources(Velero.DOWNLOAD_REQUESTS)
                  .inNamespace(velero.namespace())
                  .withName(request)
                  .delete());
    } catch (ClusterAccessException e) {
      context.output().line("could not delete DownloadRequest " + request + ": " + e.getMessage());
    }
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

  private static void createRequest(Cluster velero, String request, String backup) {
    velero.create(
        "create DownloadRequest " + velero.ref(request),
        Velero.DOWNLOAD_REQUESTS,
        Cluster.customResource(
            Velero.DOWNLOAD_REQUESTS,
            request,
            velero.namespace(),
            Map.of(),
            Map.of("target", Map.of("kind", "BackupResourceList", "name", backup))));
  }

  private Map<String, List<String>> fetch(String url) throws InterruptedException {
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new ClusterAccessException(
            "the resource list download answered HTTP " + response.statusCode());
      }
      byte[] body = response.body();
      InputStream in = new ByteArrayInputStream(body);
      if (body.length > 1 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
        in = new GZIPInputStream(in);
      }
      return JSON.readValue(in, new TypeReference<Map<String, List<String>>>() {});
    } catch (IOException e) {
      throw new ClusterAccessException(
          "could not download the resource list: " + e.getMessage(), e);
    }
  }
}
