package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 *
 * <p>With an {@link ObjectStorage} ({@link #withStorage}), it also plays what Velero keeps in the
 * storage location and its DownloadRequest controller:
 *
 * <ul>
 *   <li>A Backup runs its {@code spec.hooks} exec hooks in the pods it covers (the backup's
 *       namespaces and label selector, the hook's namespaces, resources and selector), pre then
 *       post, in the named container or the pod's first; a container the pod lacks is Velero's
 *       {@code no such container} error, {@code onError: Fail} skips that pod's remaining hooks;
 *       any failed hook ends the backup PartiallyFailed with {@code status.errors} and {@code
 *       hookStatus}. {@link #hooksRun()} lists what ran.
 *   <li>A finished Backup's log (logrus text lines), results ({@code {"errors": {...}, "warnings":
 *       {...}}}, each message as Velero's log counter writes it) and resource list (the pods,
 *       deployments, services and config maps it covered) are uploaded gzip'd under Velero's keys;
 *       a Restore's log and results too, with a warning for each backed-up object that already
 *       exists when {@code existingResourcePolicy} is not {@code update}.
 *   <li>A DownloadRequest is answered on a later pass than the one it was created before (its
 *       {@code status.downloadURL} appears late), with {@code phase: Processed}, a signed URL valid
 *       10 minutes and {@code expiration} then; one whose backup, restore or storage location does
 *       not exist gets an expiration and no URL; an expired one is deleted, as Velero does.
 * </ul>
 */
public final class VeleroServer {

  private static final Pattern GO_DURATION =
      Pattern.compile("^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$|^0$");
  private static final Pattern GO_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  /** Velero's persistence.DownloadURLTTL. */
  public static final Duration DOWNLOAD_URL_TTL = Duration.ofMinutes(10);

  private final KubernetesClient admin;
  private final String namespace;
  private final Clock clock;
  private volatile ObjectStorage storage;
  private final List<String> hooksRun = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Set<String> seenRequests = new java.util.HashSet<>();

  public VeleroServer(KubernetesClient admin, String namespace, Clock clock) {
    this.admin = admin;
    this.namespace = namespace;
    this.clock = clock;
  }

  /** Keeps logs, results and resource lists in {@code storage} and answers DownloadRequests. */
  public VeleroServer withStorage(ObjectStorage storage) {
    this.storage = storage;
    return this;
  }

  /** The hooks run so far, as {@code pre|post HOOK NAMESPACE/POD CONTAINER: COMMAND}. */
  public List<String> hooksRun() {
    return List.copyOf(hooksRun);
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
    if (storage != null) {
      downloadRequests();
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
      Run run = kind == VeleroObjects.BACKUPS ? runBackup(r, now) : runRestore(r, now);
      status.put("phase", run.errors.isEmpty() ? "Completed" : "PartiallyFailed");
      status.put("completionTimestamp", now);
      status.put("progress", Map.of("totalItems", 12, "itemsBackedUp", 12, "itemsRestored", 12));
      if (!run.errors.isEmpty()) {
        status.put("errors", run.errors.size());
      }
      if (!run.warnings.isEmpty()) {
        status.put("warnings", run.warnings.size());
      }
      if (run.hooksAttempted > 0) {
        status.put(
            "hookStatus",
            Map.of("hooksAttempted", run.hooksAttempted, "hooksFailed", run.hooksFailed));
      }
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

  /** What a finished backup or restore logged: errors and warnings by namespace ("" for none). */
  private static final class Run {
    final List<String[]> errors = new ArrayList<>();
    final List<String[]> warnings = new ArrayList<>();
    final StringBuilder log = new StringBuilder();
    int hooksAttempted;
    int hooksFailed;

    /** A logrus text line, and for error and warning lines the log counter's result entry. */
    void log(String time, String level, String msg, String owner, Map<String, String> fields) {
      log.append("time=\"").append(time).append("\" level=").append(level);
      log.append(" msg=").append(quoted(msg)).append(' ').append(owner);
      fields.forEach((k, v) -> log.append(' ').append(k).append('=').append(quoted(v)));
      log.append('\n');
      if (level.equals("error") || level.equals("warning")) {
        String entry = "";
        if (fields.containsKey("resource")) {
          entry += " resource: /" + fields.get("resource");
        }
        if (fields.containsKey("name")) {
          entry += " name: /" + fields.get("name");
        }
        entry += " message: /" + msg;
        if (fields.containsKey("error")) {
          entry += " error: /" + fields.get("error");
        }
        String[] item = {fields.getOrDefault("namespace", ""), entry};
        (level.equals("error") ? errors : warnings).add(item);
      }
    }

    private static String quoted(String value) {
      return value.matches("[A-Za-z0-9_./:-]+") ? value : "\"" + value.replace("\"", "\\\"") + "\"";
    }

    /** Velero's results file: {"errors": Result, "warnings": Result}. */
    String results() {
      return "{\"errors\":" + result(errors) + ",\"warnings\":" + result(warnings) + "}";
    }

    private static String result(List<String[]> items) {
      Map<String, List<String>> namespaces = new java.util.TreeMap<>();
      List<String> velero = new ArrayList<>();
      for (String[] item : items) {
        if (item[0].isEmpty()) {
          velero.add(item[1]);
        } else {
          namespaces.computeIfAbsent(item[0], k -> new ArrayList<>()).add(item[1]);
        }
      }
      Map<String, Object> result = new LinkedHashMap<>();
      if (!velero.isEmpty()) {
        result.put("velero", velero);
      }
      if (!namespaces.isEmpty()) {
        result.put("namespaces", namespaces);
      }
      try {
        return io.intentbot.engine.json.Json.MAPPER.writeValueAsString(result);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Run runBackup(GenericKubernetesResource backup, String now) {
    Run run = new Run();
    String name = backup.getMetadata().getName();
    String owner = "backup=" + namespace + "/" + name;
    run.log(now, "info", "Setting up backup temp file", owner, Map.of());
    List<Pod> pods = podsOf(backup);
    for (Object spec : listAt(backup, "spec", "hooks", "resources")) {
      Map<String, Object> hook = cast((Map<?, ?>) spec);
      for (Pod pod : pods) {
        if (applies(hook, pod)) {
          runHooks(run, hook, pod, now, owner);
        }
      }
    }
    run.log(now, "info", "Backed up a total of 12 items", owner, Map.of());
    if (storage != null) {
      String prefix = "backups/" + name + "/" + name;
      storage.put(prefix + "-logs.gz", run.log.toString());
      storage.put(prefix + "-results.gz", run.results());
      storage.put(prefix + "-resource-list.json.gz", resourceList(backup));
    }
    return run;
  }

  private void runHooks(Run run, Map<String, Object> hook, Pod pod, String now, String owner) {
    String podRef = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    boolean stopped = false;
    for (String phase : List.of("pre", "post")) {
      Object hooks = hook.get(phase);
      for (Object each : hooks instanceof List<?> l ? l : List.of()) {
        Map<String, Object> exec = cast((Map<?, ?>) cast((Map<?, ?>) each).get("exec"));
        if (stopped) {
          continue;
        }
        Object container = exec.get("container");
        String target =
            container == null
                ? pod.getSpec().getContainers().get(0).getName()
                : String.valueOf(container);
        run.hooksAttempted++;
        hooksRun.add(
            phase
                + " "
                + hook.get("name")
                + " "
                + podRef
                + " "
                + target
                + ": "
                + ((List<?>) exec.get("command"))
                    .stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse(""));
        boolean exists =
            pod.getSpec().getContainers().stream().anyMatch(c -> c.getName().equals(target));
        if (!exists) {
          run.hooksFailed++;
          Map<String, String> fields = new LinkedHashMap<>();
          fields.put("error", "no such container: \"" + target + "\"");
          fields.put("hookName", String.valueOf(hook.get("name")));
          fields.put("hookPhase", phase);
          fields.put("hookSource", "backupSpec");
          fields.put("hookType", "exec");
          fields.put("name", pod.getMetadata().getName());
          fields.put("namespace", pod.getMetadata().getNamespace());
          fields.put("resource", "pods");
          run.log(now, "error", "Error executing hook", owner, fields);
          stopped = "Fail".equals(exec.get("onError"));
        }
      }
    }
  }

  private boolean applies(Map<String, Object> hook, Pod pod) {
    Object resources = hook.get("includedResources");
    if (resources instanceof List<?> l && !l.isEmpty() && !l.contains("pods")) {
      return false;
    }
    Object namespaces = hook.get("includedNamespaces");
    if (namespaces instanceof List<?> l
        && !l.isEmpty()
        && !l.contains(pod.getMetadata().getNamespace())) {
      return false;
    }
    return matches(atPath(hook, "labelSelector", "matchLabels"), pod.getMetadata().getLabels());
  }

  private static boolean matches(Object selector, Map<String, String> labels) {
    if (!(selector instanceof Map<?, ?> wanted)) {
      return true;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    return wanted.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(have.get(String.valueOf(e.getKey()))));
  }

  /** The pods a backup covers: its namespaces ("*": all) and label selector. */
  private List<Pod> podsOf(GenericKubernetesResource backup) {
    List<?> namespaces = listAt(backup, "spec", "includedNamespaces");
    Object selector = backup.get("spec", "labelSelector", "matchLabels");
    return admin.pods().inAnyNamespace().list().getItems().stream()
        .filter(
            p ->
                namespaces.isEmpty()
                    || namespaces.contains("*")
                    || namespaces.contains(p.getMetadata().getNamespace()))
        .filter(p -> matches(selector, p.getMetadata().getLabels()))
        .toList();
  }

  /** Velero's resource list: "group/version/Kind" to "namespace/name". */
  private String resourceList(GenericKubernetesResource backup) {
    List<?> namespaces = listAt(backup, "spec", "includedNamespaces");
    Object selector = backup.get("spec", "labelSelector", "matchLabels");
    Map<String, List<String>> list = new java.util.TreeMap<>();
    java.util.function.BiConsumer<
            String, List<? extends io.fabric8.kubernetes.api.model.HasMetadata>>
        add =
            (kind, items) ->
                items.stream()
                    .filter(
                        o ->
                            namespaces.isEmpty()
                                || namespaces.contains("*")
                                || namespaces.contains(o.getMetadata().getNamespace()))
                    .filter(o -> matches(selector, o.getMetadata().getLabels()))
                    .forEach(
                        o ->
                            list.computeIfAbsent(kind, k -> new ArrayList<>())
                                .add(
                                    o.getMetadata().getNamespace()
                                        + "/"
                                        + o.getMetadata().getName()));
    add.accept("v1/Pod", admin.pods().inAnyNamespace().list().getItems());
    add.accept("apps/v1/Deployment", admin.apps().deployments().inAnyNamespace().list().getItems());
    add.accept("v1/Service", admin.services().inAnyNamespace().list().getItems());
    add.accept("v1/ConfigMap", admin.configMaps().inAnyNamespace().list().getItems());
    try {
      return io.intentbot.engine.json.Json.MAPPER.writeValueAsString(list);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A restore: each object of the backup's resource list that already exists where it would be
   * restored is left as it is with Velero's warning, unless existingResourcePolicy is update.
   */
  private Run runRestore(GenericKubernetesResource restore, String now) {
    Run run = new Run();
    String name = restore.getMetadata().getName();
    String owner = "restore=" + namespace + "/" + name;
    run.log(now, "info", "starting restore", owner, Map.of());
    Object backup = restore.get("spec", "backupName");
    String list =
        storage == null
            ? null
            : storage.read("backups/" + backup + "/" + backup + "-resource-list.json.gz");
    boolean update = "update".equals(restore.get("spec", "existingResourcePolicy"));
    Object mapping = restore.get("spec", "namespaceMapping");
    if (list != null && !update) {
      Map<String, List<String>> items;
      try {
        items =
            io.intentbot.engine.json.Json.MAPPER.readValue(
                list,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, List<String>>>() {});
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      for (var kind : items.entrySet()) {
        for (String ref : kind.getValue()) {
          String[] parts = ref.split("/", 2);
          String target =
              mapping instanceof Map<?, ?> m && m.get(parts[0]) != null
                  ? String.valueOf(m.get(parts[0]))
                  : parts[0];
          String simpleKind = kind.getKey().substring(kind.getKey().lastIndexOf('/') + 1);
          if (exists(simpleKind, target, parts[1])) {
            run.log(
                now,
                "warning",
                "could not restore, "
                    + simpleKind
                    + " \""
                    + parts[1]
                    + "\" already exists. Warning: the in-cluster version is different than the"
                    + " backed-up version",
                owner,
                Map.of("namespace", target));
          }
        }
      }
    }
    run.log(now, "info", "restore completed", owner, Map.of());
    if (storage != null) {
      String prefix = "restores/" + name + "/restore-" + name;
      storage.put(prefix + "-logs.gz", run.log.toString());
      storage.put(prefix + "-results.gz", run.results());
    }
    return run;
  }

  private boolean exists(String kind, String namespace, String name) {
    return switch (kind) {
      case "Pod" -> admin.pods().inNamespace(namespace).withName(name).get() != null;
      case "Deployment" ->
          admin.apps().deployments().inNamespace(namespace).withName(name).get() != null;
      case "Service" -> admin.services().inNamespace(namespace).withName(name).get() != null;
      case "ConfigMap" -> admin.configMaps().inNamespace(namespace).withName(name).get() != null;
      default -> false;
    };
  }

  /**
   * Velero's DownloadRequest controller: expired requests are deleted; a new one seen on an earlier
   * pass is processed (so its URL appears late), or given only an expiration when its target, the
   * target's backup or the backup's storage location does not exist.
   */
  private void downloadRequests() {
    Instant now = clock.instant();
    for (GenericKubernetesResource request : list(VeleroObjects.DOWNLOAD_REQUESTS)) {
      String name = request.getMetadata().getName();
      var handle =
          admin
              .genericKubernetesResources(VeleroObjects.DOWNLOAD_REQUESTS)
              .inNamespace(namespace)
              .withName(name);
      Object expiration = request.get("status", "expiration");
      if (expiration != null && Instant.parse(String.valueOf(expiration)).isBefore(now)) {
        handle.delete();
        continue;
      }
      if (request.get("status", "phase") != null || expiration != null) {
        continue;
      }
      if (seenRequests.add(name)) {
        continue; // answered on the next pass, as a busy controller would
      }
      String expires = now.plus(DOWNLOAD_URL_TTL).truncatedTo(ChronoUnit.SECONDS).toString();
      String key =
          key(
              String.valueOf(request.<Object>get("spec", "target", "kind")),
              String.valueOf(request.<Object>get("spec", "target", "name")));
      Map<String, Object> status = new LinkedHashMap<>();
      if (key == null) {
        status.put("expiration", expires);
      } else {
        status.put("phase", "Processed");
        status.put("downloadURL", storage.signedUrl(key, Instant.parse(expires)));
        status.put("expiration", expires);
      }
      try {
        handle.editStatus(ClusterObjects.withStatus(status));
      } catch (KubernetesClientException e) {
        // deleted meanwhile
      }
    }
  }

  /** The storage key of a download target, or null when its objects do not exist. */
  private String key(String kind, String target) {
    String backup = target;
    boolean ofRestore = kind.startsWith("Restore");
    if (ofRestore) {
      GenericKubernetesResource restore = get(VeleroObjects.RESTORES, target);
      if (restore == null) {
        return null;
      }
      backup = String.valueOf(restore.<Object>get("spec", "backupName"));
    }
    GenericKubernetesResource b = get(VeleroObjects.BACKUPS, backup);
    if (b == null
        || get(
                VeleroObjects.STORAGE_LOCATIONS,
                String.valueOf(b.<Object>get("spec", "storageLocation")))
            == null) {
      return null;
    }
    return switch (kind) {
      case "BackupLog" -> "backups/" + target + "/" + target + "-logs.gz";
      case "BackupResults" -> "backups/" + target + "/" + target + "-results.gz";
      case "BackupResourceList" -> "backups/" + target + "/" + target + "-resource-list.json.gz";
      case "RestoreLog" -> "restores/" + target + "/restore-" + target + "-logs.gz";
      case "RestoreResults" -> "restores/" + target + "/restore-" + target + "-results.gz";
      default -> "unsupported/" + kind;
    };
  }

  private GenericKubernetesResource get(ResourceDefinitionContext kind, String name) {
    return admin.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get();
  }

  private static List<?> listAt(GenericKubernetesResource r, Object... path) {
    Object value = r.get(path);
    return value instanceof List<?> l ? l : List.of();
  }

  private static Object atPath(Map<String, Object> map, String... path) {
    Object value = map;
    for (String key : path) {
      if (!(value instanceof Map<?, ?> m)) {
        return null;
      }
      value = m.get(key);
    }
    return value;
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
