package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the Velero server on the mock API server, one {@link #reconcile} at a time, as Velero 1.18
 * behaves where intentbot depends on it: a new Backup or Restore goes New, InProgress, then
 * Completed; a Backup whose {@code spec.ttl} is not a Go duration (Velero decodes it with Go's
 * {@code time.ParseDuration}: no {@code d} unit, no ISO-8601) or whose storage location does not
 * exist fails validation; a Restore's {@code existingResourcePolicy} must be {@code none} or {@code
 * update}. Backups get {@code status.startTimestamp}, {@code completionTimestamp} and {@code
 * expiration} (start + ttl) from the clock given.
 */
public final class VeleroServer {

  private static final Pattern GO_DURATION =
      Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$");
  private static final Pattern GO_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  private final KubernetesClient admin;
  private final String namespace;
  private final Clock clock;

  public VeleroServer(KubernetesClient admin, String namespace, Clock clock) {
    this.admin = admin;
    this.namespace = namespace;
    this.clock = clock;
  }

  public ScheduledFuture<?> every(ScheduledExecutorService scheduler, Duration period) {
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile();
          } catch (RuntimeException e) {
            // the next pass tries again
          }
        },
        period.toNanos(),
        period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Whether {@code text} is what Go's {@code time.ParseDuration} accepts. */
  public static boolean isGoDuration(String text) {
    return text != null && GO_DURATION.matcher(text).matches();
  }

  public synchronized void reconcile() {
    for (GenericKubernetesResource b : list(VeleroObjects.BACKUPS)) {
      advance(VeleroObjects.BACKUPS, b, backupProblem(b));
    }
    for (GenericKubernetesResource r : list(VeleroObjects.RESTORES)) {
      Object policy = r.get("spec", "existingResourcePolicy");
      String problem =
          policy == null || Set.of("none", "update").contains(String.valueOf(policy))
              ? null
              : "Invalid existing resource policy " + policy;
      advance(VeleroObjects.RESTORES, r, problem);
    }
  }

  private String backupProblem(GenericKubernetesResource b) {
    Object ttl = b.get("spec", "ttl");
    if (ttl != null && !isGoDuration(String.valueOf(ttl))) {
      return "invalid ttl: time: unknown unit in duration \"" + ttl + "\"";
    }
    Object location = b.get("spec", "storageLocation");
    if (location != null
        && admin
                .genericKubernetesResources(VeleroObjects.STORAGE_LOCATIONS)
                .inNamespace(namespace)
                .withName(String.valueOf(location))
                .get()
            == null) {
      return "an existing backup storage location was not specified at backup creation time and"
          + " the server default "
          + location
          + " does not exist";
    }
    return null;
  }

  private void advance(
      ResourceDefinitionContext kind, GenericKubernetesResource r, String problem) {
    Object phase = r.get("status", "phase");
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> status = new LinkedHashMap<>();
    if (phase == null || "New".equals(phase)) {
      if (problem != null) {
        status.put("phase", "FailedValidation");
        status.put("validationErrors", List.of(problem));
      } else {
        status.put("phase", "InProgress");
        status.put("startTimestamp", now);
      }
    } else if ("InProgress".equals(phase)) {
      status.putAll(
          r.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? cast(m) : Map.of());
      status.put("phase", "Completed");
      status.put("completionTimestamp", now);
      status.put("progress", Map.of("totalItems", 12, "itemsBackedUp", 12, "itemsRestored", 12));
      Object ttl = r.get("spec", "ttl");
      if (kind == VeleroObjects.BACKUPS && ttl != null) {
        status.put(
            "expiration",
            Instant.parse(String.valueOf(status.get("startTimestamp")))
                .plus(goDuration(String.valueOf(ttl)))
                .toString());
      }
    } else {
      return;
    }
    try {
      admin
          .genericKubernetesResources(kind)
          .inNamespace(namespace)
          .withName(r.getMetadata().getName())
          .editStatus(ClusterObjects.withStatus(status));
    } catch (KubernetesClientException e) {
      // a concurrent write: the next pass
    }
  }

  private List<GenericKubernetesResource> list(ResourceDefinitionContext kind) {
    return admin.genericKubernetesResources(kind).inNamespace(namespace).list().getItems();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** Go's {@code time.ParseDuration}, for the units Velero's TTLs use. */
  static Duration goDuration(String text) {
    Matcher m = GO_PART.matcher(text);
    Duration total = Duration.ZERO;
    while (m.find()) {
      double amount = Double.parseDouble(m.group(1));
      long nanos =
          switch (m.group(2)) {
            case "h" -> (long) (amount * 3_600_000_000_000L);
            case "m" -> (long) (amount * 60_000_000_000L);
            case "s" -> (long) (amount * 1_000_000_000L);
            case "ms" -> (long) (amount * 1_000_000L);
            case "us", "µs" -> (long) (amount * 1_000L);
            default -> (long) amount;
          };
      total = total.plusNanos(nanos);
    }
    return total;
  }
}
