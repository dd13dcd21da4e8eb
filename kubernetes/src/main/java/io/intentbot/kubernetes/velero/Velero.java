package io.intentbot.kubernetes.velero;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.ProgressLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Velero's {@code velero.io/v1} kinds as generic resources, and what the Velero step types share:
 * the Velero namespace (config {@code velero: { namespace: velero }}), the storage location check
 * and following a Backup or Restore to its final phase.
 */
public final class Velero {

  public static final ResourceDefinitionContext BACKUPS = kind("Backup", "backups");
  public static final ResourceDefinitionContext RESTORES = kind("Restore", "restores");
  public static final ResourceDefinitionContext STORAGE_LOCATIONS =
      kind("BackupStorageLocation", "backupstoragelocations");
  public static final ResourceDefinitionContext DOWNLOAD_REQUESTS =
      kind("DownloadRequest", "downloadrequests");

  static final Set<String> FAILED = Set.of("Failed", "PartiallyFailed", "FailedValidation");

  private Velero() {}

  private static ResourceDefinitionContext kind(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** The namespace Velero runs in: config {@code velero.namespace}, default {@code velero}. */
  public static String namespace(IntentbotConfig config) {
    Object value = config.section("velero").get("namespace");
    return value == null ? "velero" : String.valueOf(value);
  }

  static GenericKubernetesResource get(
      Cluster velero, ResourceDefinitionContext kind, String name) {
    return velero.call(
        "read " + kind.getKind() + " " + velero.ref(name),
        c ->
            c.genericKubernetesResources(kind)
                .inNamespace(velero.namespace())
                .withName(name)
                .get());
  }

  /**
   * A duration as Velero reads it: Go's {@code time.Duration} format ({@code 168h0m0s}), which has
   * no day unit and no ISO-8601. Accepts what intentbot accepts ({@code 7d}, {@code P7D}, {@code
   * 720h}, {@code 1h30m}) and Go's own form.
   *
   * @throws IllegalArgumentException when {@code text} is not a duration
   */
  public static String goDuration(String text, String field) {
    Duration duration =
        Durations.parse(text)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        field + " '" + text + "' is not a duration (e.g. 720h, 7d, P7D)"));
    return goFormat(duration);
  }

  /** Go's {@code Duration.String()}: {@code 168h0m0s}, {@code 5m0s}, {@code 30s}, {@code 500ms}. */
  static String goFormat(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = d.toNanos();
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      return nanos % 1_000 == 0 ? nanos / 1_000 + "µs" : nanos + "ns";
    }
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int nanos = d.toNanosPart();
    String secs = String.valueOf(seconds);
    if (nanos != 0) {
      secs += ("." + String.format(java.util.Locale.ROOT, "%09d", nanos)).replaceAll("0+$", "");
    }
    if (hours > 0) {
      return hours + "h" + minutes + "m" + secs + "s";
    }
    if (minutes > 0) {
      return minutes + "m" + secs + "s";
    }
    return secs + "s";
  }

  /**
   * The storage location a new backup goes to when the step names none: config {@code
   * velero.storage_location}, else the BackupStorageLocation Velero marks {@code spec.default:
   * true}, else one named {@code default}.
   *
   * @throws ClusterAccessException when none of these exists
   */
  static String defaultLocation(Cluster velero, IntentbotConfig config) {
    Object configured = config.section("velero").get("storage_location");
    if (configured != null) {
      return String.valueOf(configured);
    }
    List<GenericKubernetesResource> locations =
        velero.call(
            "list Velero backup storage locations in " + velero.namespace(),
            c ->
                c.genericKubernetesResources(STORAGE_LOCATIONS)
                    .inNamespace(velero.namespace())
                    .list()
                    .getItems());
    return locations.stream()
        .filter(l -> Boolean.TRUE.equals(l.get("spec", "default")))
        .map(l -> l.getMetadata().getName())
        .findFirst()
        .or(
            () ->
                locations.stream()
                    .map(l -> l.getMetadata().getName())
                    .filter("default"::equals)
                    .findFirst())
        .orElseThrow(
            () ->
                new ClusterAccessException(
                    "no Velero backup storage location is marked default (spec.default: true) in"
                        + " namespace "
                        + velero.namespace()
                        + " and none is configured (velero.storage_location); locations: "
                        + locations.stream().map(l -> l.getMetadata().getName()).toList()));
  }

  /** Fails unless the BackupStorageLocation exists and its phase is Available. */
  static void requireAvailable(Cluster velero, String location) {
    String problem = locationProblem(velero, location);
    if (problem != null) {
      throw new ClusterAccessException(problem);
    }
  }

  /** Why the location cannot be used now, or null when it is Available. */
  static String locationProblem(Cluster velero, String location) {
    GenericKubernetesResource bsl = get(velero, STORAGE_LOCATIONS, location);
    if (bsl == null) {
      return "Velero backup storage location '"
          + location
          + "' does not exist in namespace "
          + velero.namespace();
    }
    Object phase = bsl.get("status", "phase");
    if (!"Available".equals(phase)) {
      Object message = bsl.get("status", "message");
      return "Velero backup storage location '"
          + location
          + "' is "
          + (phase == null ? "not yet validated" : phase)
          + (message == null ? "" : ": " + message)
          + "; nothing was started";
    }
    return null;
  }

  /**
   * Follows a Backup or Restore until Completed, a failed phase or the timeout, writing each phase
   * change and progress. Fails with a {@link ClusterAccessException} when the object disappears.
   */
  static CompletableFuture<Followed> follow(
      Cluster velero,
      ResourceDefinitionContext kind,
      String name,
      Polling polling,
      StepOutput output,
      AsyncPoll poll) {
    ProgressLine progress = new ProgressLine(output);
    String namespace = velero.namespace();
    return io.intentbot.kubernetes.WatchedWait.until(
        poll,
        polling,
        velero,
        "watch " + kind.getKind() + " " + velero.ref(name),
        c -> c.genericKubernetesResources(kind).inNamespace(namespace).withName(name),
        () -> get(velero, kind, name),
        live -> {
          if (live == null) {
            throw new ClusterAccessException(
                kind.getKind() + " " + velero.ref(name) + " disappeared");
          }
          return live;
        },
        (GenericKubernetesResource live) -> {
          String phase = phase(live);
          progress.report(
              kind.getKind().toLowerCase() + " " + name + ": " + phase + progress(live));
          if ("Completed".equals(phase)) {
            return Optional.of(new Followed(live, null));
          }
          if (FAILED.contains(phase)) {
            return Optional.of(
                new Followed(
                    live, kind.getKind() + " " + name + " ended " + phase + ": " + reason(live)));
          }
          return Optional.empty();
        },
        live ->
            new Followed(
                live,
                kind.getKind()
                    + " "
                    + name
                    + " is still "
                    + phase(live)
                    + " after "
                    + Durations.format(polling.timeout())
                    + "; Velero goes on with it"),
        output);
  }

  static String phase(GenericKubernetesResource resource) {
    Object phase = resource.get("status", "phase");
    return phase == null ? "New" : String.valueOf(phase);
  }

  private static String progress(GenericKubernetesResource resource) {
    Object total = resource.get("status", "progress", "totalItems");
    Object done = resource.get("status", "progress", "itemsBackedUp");
    if (done == null) {
      done = resource.get("status", "progress", "itemsRestored");
    }
    return total == null ? "" : " (" + (done == null ? 0 : done) + "/" + total + " items)";
  }

  private static String reason(GenericKubernetesResource resource) {
    List<String> parts = new ArrayList<>();
    Object failure = resource.get("status", "failureReason");
    if (failure != null) {
      parts.add(String.valueOf(failure));
    }
    Object validation = resource.get("status", "validationErrors");
    if (validation instanceof List<?> list && !list.isEmpty()) {
      parts.add(
          "validation errors: " + String.join("; ", list.stream().map(String::valueOf).toList()));
    }
    parts.add(
        number(resource, "errors") + " errors, " + number(resource, "warnings") + " warnings");
    return String.join("; ", parts);
  }

  static long number(GenericKubernetesResource resource, String field) {
    Object value = resource.get("status", field);
    return value instanceof Number n ? n.longValue() : 0;
  }

  static long progressNumber(GenericKubernetesResource resource, String field) {
    Object value = resource.get("status", "progress", field);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /** The common outputs of a followed Backup or Restore. */
  static Map<String, Object> outputs(
      GenericKubernetesResource resource, String itemsField, String itemsOutput) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", resource.getMetadata().getName());
    out.put("phase", phase(resource));
    out.put(itemsOutput, progressNumber(resource, itemsField));
    out.put("total_items", progressNumber(resource, "totalItems"));
    out.put("warnings", number(resource, "warnings"));
    out.put("errors", number(resource, "errors"));
    return out;
  }

  /**
   * A followed Backup or Restore as last read; {@code failure} says why it ended badly or not in
   * time, null when it completed.
   */
  record Followed(GenericKubernetesResource resource, String failure) {

    /** The step's result: its outputs, failed with {@code failure} when there is one. */
    StepResult result(String itemsField, String itemsOutput) {
      return result(itemsField, itemsOutput, VeleroReport.EMPTY, null);
    }

    /**
     * The step's result with what Velero wrote about it: outputs {@code error_messages}, {@code
     * warning_messages} and {@code log_lines}, and the failure naming the first errors (or, when
     * the results could not be read, why not and the log's first error lines).
     */
    StepResult result(
        String itemsField, String itemsOutput, VeleroReport report, String unreadable) {
      Map<String, Object> outputs = outputs(resource, itemsField, itemsOutput);
      outputs.put("error_messages", report.errors());
      outputs.put("warning_messages", report.warnings());
      outputs.put("log_lines", report.logLines());
      if (failure == null) {
        return StepResult.succeeded(outputs);
      }
      StringBuilder reason = new StringBuilder(failure);
      if (!report.errors().isEmpty()) {
        reason.append("; first errors: ").append(first(report.errors(), 3));
      } else if (!report.logLines().isEmpty()) {
        reason.append("; its log: ").append(first(report.logLines(), 3));
      }
      if (unreadable != null) {
        reason.append("; ").append(unreadable);
      }
      return StepResult.failed(reason.toString(), outputs);
    }

    private static String first(List<String> lines, int n) {
      return String.join("; ", lines.size() > n ? lines.subList(0, n) : lines)
          + (lines.size() > n ? "; ..." : "");
    }
  }
}
