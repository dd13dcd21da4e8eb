package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Names;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.UntypedPollingStepType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *   storage_location: default
 *   ttl: 720h
 *   labels: { reason: pre-migration }
 *   timeout: 1h
 *   poll_interval: 5s
 * }</pre>
 *
 * The Backup is labelled {@code intentbot.io/run}, {@code intentbot.io/app} and {@code
 * intentbot.io/environment}. Outputs: {@code name}, {@code phase}, {@code items_backed_up}, {@code
 * total_items}, {@code warnings}, {@code errors}.
 */
public final class VeleroBackupStepType extends UntypedPollingStepType {

  public static final String NAME = "velero.backup";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,
       "properties":{
         "namespace":{"type":"string","description":"the app namespace used when 'namespaces' is absent"},
         "name":{"type":"string"},
         "namespaces":{"type":"array","items":{"type":"string"}},
         "selector":{"type":"object","additionalProperties":{"type":"string"}},
         "storage_location":{"type":"string"},
         "ttl":{"type":"string"},
         "snapshot_volumes":{"type":["boolean","string"]},
         "labels":{"type":"object","additionalProperties":{"type":"string"}},
         "timeout":{"type":"string"},
         "poll_interval":{"type":"string"}}}
      """;

  public VeleroBackupStepType(ClusterAccess access) {
    super(access, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Back up namespaces with Velero and wait for the backup to complete";
  }

  @Override
  protected StepPlan plan(StepInput input, StepContext context, Cluster cluster) {
    GenericKubernetesResource backup = backup(input, context, cluster);
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    String location = input.string("storage_location", "default");
    String problem = Velero.locationProblem(velero, location);
    String summary =
        "Create Velero backup "
            + backup.getMetadata().getName()
            + " of "
            + scope(input, cluster)
            + " in storage location "
            + location
            + (problem == null ? "" : " (would fail: " + problem + ")");
    return StepPlan.of(summary, List.of("ttl " + input.string("ttl", "720h")));
  }

  @Override
  protected CompletableFuture<StepResult> start(
      StepInput input, StepContext context, Cluster cluster, AsyncPoll poll) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    Polling polling = Polling.from(input, Duration.ofHours(1), Duration.ofSeconds(5));
    return poll.call(
            () -> {
              Velero.requireAvailable(velero, input.string("storage_location", "default"));
              GenericKubernetesResource backup = backup(input, context, cluster);
              String name = backup.getMetadata().getName();
              velero.call(
                  "create Velero backup " + velero.ref(name),
                  c ->
                      c.genericKubernetesResources(Velero.BACKUPS)
                          .inNamespace(velero.namespace())
                          .resource(backup)
                          .create());
              context
                  .output()
                  .line("created Velero backup " + name + " of " + scope(input, cluster));
              return name;
            })
        .thenCompose(
            name -> Velero.follow(velero, Velero.BACKUPS, name, polling, context.output(), poll))
        .thenApply(followed -> followed.result("itemsBackedUp", "items_backed_up"));
  }

  private static String scope(StepInput input, Cluster cluster) {
    List<String> namespaces = namespaces(input, cluster);
    Map<String, String> selector = input.stringMap("selector");
    return (namespaces.equals(List.of("*")) ? "all namespaces" : "namespaces " + namespaces)
        + (selector.isEmpty() ? "" : " (objects labelled " + selector + ")");
  }

  private static List<String> namespaces(StepInput input, Cluster cluster) {
    List<String> namespaces = input.strings("namespaces");
    if (!namespaces.isEmpty()) {
      return namespaces;
    }
    return input.has("selector") ? List.of("*") : List.of(cluster.namespace());
  }

  private static GenericKubernetesResource backup(
      StepInput input, StepContext context, Cluster cluster) {
    String name = input.optionalString("name").orElseGet(() -> Names.forStep("backup", context));
    Map<String, String> labels = new LinkedHashMap<>(input.stringMap("labels"));
    labels.put("intentbot.io/run", context.runId());
    context.app().ifPresent(app -> labels.put("intentbot.io/app", app));
    context.environment().ifPresent(env -> labels.put("intentbot.io/environment", env.name()));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("includedNamespaces", namespaces(input, cluster));
    spec.put("storageLocation", input.string("storage_location", "default"));
    spec.put("ttl", input.string("ttl", "720h"));
    if (input.has("selector")) {
      spec.put("labelSelector", Map.of("matchLabels", input.stringMap("selector")));
    }
    if (input.has("snapshot_volumes")) {
      spec.put("snapshotVolumes", input.bool("snapshot_volumes", true));
    }
    GenericKubernetesResource backup =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("velero.io/v1")
            .withKind("Backup")
            .withNewMetadata()
            .withName(name)
            .withNamespace(Velero.namespace(context.config()))
            .withLabels(labels)
            .endMetadata()
            .build();
    backup.setAdditionalProperty("spec", spec);
    return backup;
  }
}
