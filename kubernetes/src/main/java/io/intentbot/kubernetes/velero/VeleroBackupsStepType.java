package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.KubernetesStepType;
import io.intentbot.kubernetes.Namespaced;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code velero.backups}: lists Velero backups, newest first by {@code status.startTimestamp} (as
 * Velero orders them; a synced backup's creationTimestamp is the sync time), optionally only those
 * with given labels (for example {@code intentbot.io/app: shop}). Read-only ({@link #pure()}).
 *
 * <pre>{@code
 * with: { selector: { intentbot.io/app: shop }, limit: 10 }
 * }</pre>
 *
 * Outputs: {@code backups} (each {@code name, phase, created, started, age, namespaces, labels,
 * expiration}), {@code count}, {@code latest_completed} (name, or empty).
 */
public final class VeleroBackupsStepType extends KubernetesStepType<VeleroBackupsStepType.Input> {

  public static final String NAME = "velero.backups";

  /** The {@code with:} block. */
  public record Input(String namespace, Map<String, String> selector, Long limit)
      implements Namespaced {
    public Input {
      selector = Inputs.map(selector);
    }
  }

  public VeleroBackupsStepType(ClusterAccess access) {
    super(NAME, "List Velero backups, newest first", Input.class, Purity.PURE, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("backups", "count", "latest_completed"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    Map<String, String> selector = input.selector();
    return StepPlan.of("List Velero backups" + (selector.isEmpty() ? "" : " labelled " + selector));
  }

  @Override
  protected StepResult execute(Input input, StepContext context, Cluster cluster) {
    Cluster velero = cluster.inNamespace(Velero.namespace(context.config()));
    Map<String, String> selector = input.selector();
    List<GenericKubernetesResource> backups =
        velero.call(
            "list Velero backups",
            c -> {
              var list =
                  c.genericKubernetesResources(Velero.BACKUPS).inNamespace(velero.namespace());
              return (selector.isEmpty() ? list : list.withLabels(selector)).list().getItems();
            });
    long limit = input.limit() == null ? Long.MAX_VALUE : input.limit();
    Instant now = clock(context).instant();
    List<Map<String, Object>> rows = new ArrayList<>();
    backups.stream()
        .sorted(
            Comparator.comparing(VeleroBackupsStepType::started)
                .thenComparing(b -> b.getMetadata().getName())
                .reversed())
        .limit(limit)
        .forEach(
            b -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("name", b.getMetadata().getName());
              row.put("phase", Velero.phase(b));
              row.put("created", created(b).toString());
              row.put("started", started(b).toString());
              row.put("age", Durations.format(Duration.between(started(b), now).withNanos(0)));
              Object namespaces = b.get("spec", "includedNamespaces");
              row.put(
                  "namespaces",
                  namespaces instanceof List<?> l
                      ? l.stream().map(String::valueOf).toList()
                      : List.of());
              row.put(
                  "labels",
                  b.getMetadata().getLabels() == null ? Map.of() : b.getMetadata().getLabels());
              Object expiration = b.get("status", "expiration");
              row.put("expiration", expiration == null ? "" : String.valueOf(expiration));
              rows.add(row);
              context
                  .output()
                  .line(
                      row.get("name")
                          + "  "
                          + row.get("phase")
                          + "  "
                          + row.get("age")
                          + " ago  "
                          + row.get("namespaces"));
            });
    if (rows.isEmpty()) {
      context
          .output()
          .line("no Velero backups" + (selector.isEmpty() ? "" : " labelled " + selector));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("backups", rows);
    outputs.put("count", rows.size());
    outputs.put(
        "latest_completed",
        rows.stream()
            .filter(r -> "Completed".equals(r.get("phase")))
            .map(r -> r.get("name"))
            .findFirst()
            .orElse(""));
    return StepResult.succeeded(outputs);
  }

  /**
   * When Velero started the backup ({@code status.startTimestamp}), as Velero orders backups: a
   * backup synced from the storage location gets a new creationTimestamp, not a new start. Its
   * creationTimestamp when Velero has not started it yet.
   */
  private static Instant started(GenericKubernetesResource backup) {
    Object started = backup.get("status", "startTimestamp");
    if (started != null) {
      try {
        return Instant.parse(String.valueOf(started));
      } catch (java.time.format.DateTimeParseException e) {
        // fall through to the creation time
      }
    }
    return created(backup);
  }

  private static Instant created(GenericKubernetesResource backup) {
    String created = backup.getMetadata().getCreationTimestamp();
    return created == null ? Instant.EPOCH : Instant.parse(created);
  }
}
