package io.intentbot.kubernetes.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ephemeral containers ({@code kubectl debug}'s way into a running pod) as a real cluster handles
 * them: the API server's {@code pods/ephemeralcontainers} subresource, served by {@link
 * ApiServerDispatcher}, and the kubelet that starts what it adds, played by {@link #reconcile}.
 *
 * <p>The API server (Kubernetes 1.25+) takes a strategic merge patch of {@code
 * spec.ephemeralContainers} (what kubectl sends), merged by name: adding a container, or sending
 * the same one again (a retry), succeeds; changing an existing one, or a name another container
 * has, is 422 Invalid; fields ephemeral containers may not have (ports, probes, resources,
 * lifecycle) are 422. Ephemeral containers are never removed. Instead of serving it, it can answer
 * as a cluster whose RBAC does not grant {@code patch} on the subresource ({@link #forbid}: 403
 * Forbidden, with the details' name set) or one that does not know it ({@link #notServed}: 404
 * NotFound with empty details, what kubectl reads as "ephemeral containers are disabled for this
 * cluster").
 *
 * <p>The kubelet notices a new ephemeral container late: on the first pass that sees it the pod has
 * no status for it; on the next ones it is {@code Waiting ContainerCreating}; {@link #startAfter}
 * after that first pass it is {@code Running} (never ready: ephemeral containers have no probes),
 * or, for an image {@link #pullFails}, {@code Waiting ErrImagePull} and on later passes {@code
 * ImagePullBackOff}, with the kubelet's messages (the back-off message carries the pull error, as
 * since 1.30). A running container whose command is {@code sleep N} ends {@code Completed} N
 * seconds after it started. Times come from the clock it is given.
 */
public final class EphemeralContainers {

  private static final Pattern PATH =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/ephemeralcontainers(\\?.*)?");
  private static final Set<String> FORBIDDEN_FIELDS =
      Set.of("ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "resources");
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Answer {
    SERVED,
    FORBIDDEN,
    NOT_SERVED
  }

  private volatile Answer answer = Answer.SERVED;
  private volatile Duration startAfter = Duration.ofSeconds(1);
  private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
  private final Set<String> restricted = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final List<String> patches = new CopyOnWriteArrayList<>();

  /** Answers every patch 403, as RBAC does without {@code patch} on the subresource. */
  public EphemeralContainers forbid() {
    answer = Answer.FORBIDDEN;
    return this;
  }

  /** Answers every patch 404 with empty details, as a cluster without the subresource does. */
  public EphemeralContainers notServed() {
    answer = Answer.NOT_SERVED;
    return this;
  }

  /** How long after the kubelet first sees a container it starts (or fails to pull) it. */
  public EphemeralContainers startAfter(Duration delay) {
    startAfter = delay;
    return this;
  }

  /**
   * {@code namespace} enforces the {@code restricted} Pod Security level (its label {@code
   * pod-security.kubernetes.io/enforce: restricted}): admission refuses an ephemeral container that
   * may run as root, escalate privileges, keep capabilities or run without a seccomp profile, with
   * 403 and the violations, as the PodSecurity admission plugin does.
   */
  public EphemeralContainers enforceRestricted(String namespace) {
    restricted.add(namespace);
    return this;
  }

  /** Pulling {@code image} fails (it does not exist or may not be pulled). */
  public EphemeralContainers pullFails(String image) {
    failingImages.add(image);
    return this;
  }

  /** The bodies of the patches the subresource received, in order. */
  public List<String> patches() {
    return List.copyOf(patches);
  }

  boolean handles(RecordedRequest request) {
    return PATH.matcher(request.getPath()).matches();
  }

  /** The API server's side: a request to {@code pods/NAME/ephemeralcontainers}. */
  MockResponse dispatch(RecordedRequest request, Dispatcher store) {
    Matcher path = PATH.matcher(request.getPath());
    if (!path.matches()) {
      throw new IllegalArgumentException(request.getPath());
    }
    String namespace = path.group(1);
    String pod = path.group(2);
    if (answer == Answer.NOT_SERVED) {
      return status(404, "NotFound", "the server could not find the requested resource", null);
    }
    if (answer == Answer.FORBIDDEN) {
      return status(
          403,
          "Forbidden",
          "pods \""
              + pod
              + "\" is forbidden: User \"system:serviceaccount:intentbot:intentbot\" cannot "
              + request.getMethod().toLowerCase(java.util.Locale.ROOT)
              + " resource \"pods/ephemeralcontainers\" in API group \"\" in the namespace \""
              + namespace
              + "\"",
          pod);
    }
    if (!"PATCH".equals(request.getMethod())) {
      return status(405, "MethodNotAllowed", "the stand-in serves PATCH only", pod);
    }
    String type = request.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/strategic-merge-patch+json")) {
      return status(
          415, "UnsupportedMediaType", "the stand-in takes a strategic merge patch only", pod);
    }
    String body = request.getUtf8Body();
    patches.add(body);
    for (int attempt = 0; attempt < 5; attempt++) {
      MockResponse read = store.dispatch(request(HttpMethod.GET, podPath(namespace, pod), null));
      if (read.code() == 404) {
        return status(404, "NotFound", "pods \"" + pod + "\" not found", pod);
      }
      MockResponse merged = merge(namespace, pod, text(read), body, store);
      if (merged.code() != 409) {
        return merged;
      }
    }
    return status(409, "Conflict", "the pod kept changing", pod);
  }

  private MockResponse merge(
      String namespace, String name, String live, String patch, Dispatcher store) {
    ObjectNode pod;
    JsonNode added;
    try {
      pod = (ObjectNode) JSON.readTree(live);
      added = JSON.readTree(patch).path("spec").path("ephemeralContainers");
    } catch (java.io.IOException e) {
      return status(400, "BadRequest", "the patch is not JSON: " + e.getMessage(), name);
    }
    ObjectNode spec = pod.withObject("/spec");
    ArrayNode existing =
        spec.has("ephemeralContainers")
            ? (ArrayNode) spec.get("ephemeralContainers")
            : spec.putArray("ephemeralContainers");
    List<String> taken = new ArrayList<>();
    spec.path("containers").forEach(c -> taken.add(c.path("name").asText()));
    spec.path("initContainers").forEach(c -> taken.add(c.path("name").asText()));
    int index = existing.size();
    for (JsonNode container : added) {
      String field = "spec.ephemeralContainers[" + index + "]";
      String containerName = container.path("name").asText("");
      if (containerName.isEmpty()) {
        return invalid(name, field + ".name: Required value");
      }
      if (taken.contains(containerName)) {
        return invalid(name, field + ".name: Duplicate value: \"" + containerName + "\"");
      }
      for (String forbidden : FORBIDDEN_FIELDS) {
        if (container.has(forbidden)) {
          return invalid(
              name,
              field + "." + forbidden + ": Forbidden: cannot be set for an Ephemeral Container");
        }
      }
      if (restricted.contains(namespace)) {
        List<String> violations = restrictedViolations(container);
        if (!violations.isEmpty()) {
          return status(
              403,
              "Forbidden",
              "pods \""
                  + name
                  + "\" is forbidden: violates PodSecurity \"restricted:latest\": "
                  + String.join(", ", violations),
              name);
        }
      }
      JsonNode same = null;
      for (JsonNode old : existing) {
        if (old.path("name").asText().equals(containerName)) {
          same = old;
        }
      }
      if (same == null) {
        existing.add(container);
        index++;
      } else if (!unchangedBy(same, container)) {
        return invalid(
            name,
            "spec.ephemeralContainers: Forbidden: existing ephemeral containers \""
                + containerName
                + "\" may not be changed");
      }
    }
    return store.dispatch(request(HttpMethod.PUT, podPath(namespace, name), pod.toString()));
  }

  /** What the restricted level finds wrong with a container (the pod's own context aside). */
  private static List<String> restrictedViolations(JsonNode container) {
    JsonNode security = container.path("securityContext");
    String name = "\"" + container.path("name").asText() + "\"";
    List<String> violations = new ArrayList<>();
    if (!security.path("allowPrivilegeEscalation").isBoolean()
        || security.path("allowPrivilegeEscalation").asBoolean()) {
      violations.add(
          "allowPrivilegeEscalation != false (container "
              + name
              + " must set securityContext.allowPrivilegeEscalation=false)");
    }
    boolean dropsAll = false;
    for (JsonNode drop : security.path("capabilities").path("drop")) {
      dropsAll |= drop.asText().equals("ALL");
    }
    if (!dropsAll) {
      violations.add(
          "unrestricted capabilities (container "
              + name
              + " must set securityContext.capabilities.drop=[\"ALL\"])");
    }
    if (!security.path("runAsNonRoot").asBoolean(false)) {
      violations.add(
          "runAsNonRoot != true (container "
              + name
              + " must set securityContext.runAsNonRoot=true)");
    }
    if (security.path("runAsUser").asLong(-1) == 0) {
      violations.add("runAsUser=0 (container " + name + " must not set runAsUser=0)");
    }
    String seccomp = security.path("seccompProfile").path("type").asText("");
    if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
      violations.add(
          "seccompProfile (container "
              + name
              + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
              + " \"Localhost\")");
    }
    return violations;
  }

  /** A strategic merge of {@code patch} onto {@code old} changes nothing. */
  private static boolean unchangedBy(JsonNode old, JsonNode patch) {
    for (var names = patch.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!Objects.equals(old.get(field), patch.get(field))) {
        return false;
      }
    }
    return true;
  }

  /** The kubelet's side: one pass over every pod with ephemeral containers. */
  public synchronized void reconcile(KubernetesClient admin, Clock clock) {
    Instant now = clock.instant();
    for (Pod pod : admin.pods().inAnyNamespace().list().getItems()) {
      List<EphemeralContainer> containers = pod.getSpec().getEphemeralContainers();
      if (containers == null || containers.isEmpty()) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      for (EphemeralContainer container : containers) {
        String key =
            pod.getMetadata().getNamespace()
                + "/"
                + pod.getMetadata().getName()
                + "/"
                + container.getName();
        Instant seen = firstSeen.putIfAbsent(key, now);
        ContainerStatus old = status(pod, container.getName());
        if (seen == null) {
          if (old != null) {
            statuses.add(old);
          }
          continue;
        }
        statuses.add(next(container, old, now.isBefore(seen.plus(startAfter)), now));
      }
      Pod next =
          new PodBuilder(pod)
              .editOrNewStatus()
              .withEphemeralContainerStatuses(statuses)
              .endStatus()
              .build();
      if (next.getStatus().equals(pod.getStatus())) {
        continue;
      }
      try {
        admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(next).updateStatus();
      } catch (KubernetesClientException e) {
        // another writer (a 409), or the pod went: the next pass looks again
      }
    }
  }

  /** Reconciles every {@code period} on {@code scheduler} (virtual or real time). */
  public ScheduledFuture<?> every(
      ScheduledExecutorService scheduler, Duration period, KubernetesClient admin, Clock clock) {
    return scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile(admin, clock);
          } catch (RuntimeException e) {
            // the API server may be shutting down at the end of a test
          }
        },
        period.toNanos(),
        period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private ContainerStatus next(
      EphemeralContainer container, ContainerStatus old, boolean creating, Instant now) {
    String image = container.getImage();
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(image)
            .withReady(false)
            .withRestartCount(0);
    String oldWaiting =
        old == null || old.getState() == null || old.getState().getWaiting() == null
            ? null
            : old.getState().getWaiting().getReason();
    if (creating) {
      return status
          .withNewState()
          .withNewWaiting()
          .withReason("ContainerCreating")
          .endWaiting()
          .endState()
          .build();
    }
    if (failingImages.contains(image)) {
      boolean backOff = "ErrImagePull".equals(oldWaiting) || "ImagePullBackOff".equals(oldWaiting);
      return status
          .withNewState()
          .withNewWaiting()
          .withReason(backOff ? "ImagePullBackOff" : "ErrImagePull")
          .withMessage(
              backOff
                  ? "Back-off pulling image \"" + image + "\": ErrImagePull: " + pullError(image)
                  : pullError(image))
          .endWaiting()
          .endState()
          .build();
    }
    String startedAt =
        old != null && old.getState() != null && old.getState().getRunning() != null
            ? old.getState().getRunning().getStartedAt()
            : now.toString();
    Long sleep = sleepSeconds(container);
    if (sleep != null && !now.isBefore(Instant.parse(startedAt).plusSeconds(sleep))) {
      return status
          .withStarted(false)
          .withNewState()
          .withNewTerminated()
          .withReason("Completed")
          .withExitCode(0)
          .withStartedAt(startedAt)
          .withFinishedAt(now.toString())
          .endTerminated()
          .endState()
          .build();
    }
    return status
        .withStarted(true)
        .withNewState()
        .withNewRunning()
        .withStartedAt(startedAt)
        .endRunning()
        .endState()
        .build();
  }

  private static String pullError(String image) {
    return "failed to pull and unpack image \"docker.io/library/"
        + image
        + "\": failed to resolve reference: not found";
  }

  private static Long sleepSeconds(EphemeralContainer container) {
    List<String> command = container.getCommand();
    if (command != null && command.size() == 2 && command.get(0).equals("sleep")) {
      try {
        return Long.parseLong(command.get(1));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static ContainerStatus status(Pod pod, String name) {
    if (pod.getStatus() == null || pod.getStatus().getEphemeralContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getEphemeralContainerStatuses().stream()
        .filter(s -> name.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  private static String podPath(String namespace, String pod) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + pod;
  }

  private static RecordedRequest request(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(body);
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }

  private static String text(MockResponse response) {
    return response.getBody() == null ? "" : response.getBody().readUtf8();
  }

  private static MockResponse invalid(String pod, String cause) {
    return status(422, "Invalid", "Pod \"" + pod + "\" is invalid: " + cause, pod);
  }

  private static MockResponse status(int code, String reason, String message, String name) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
    status.put("message", message).put("reason", reason).put("code", code);
    ObjectNode details = status.putObject("details");
    if (name != null) {
      details.put("name", name).put("kind", "pods");
    }
    return new MockResponse().setResponseCode(code).setBody(status.toString());
  }
}
