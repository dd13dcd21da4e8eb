package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Polling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code kubectl debug POD --image=IMAGE}'s way into a running pod, for commands the pod's own
 * image may not have (a distroless image has no {@code nslookup}): adds an ephemeral container
 * through the {@code pods/ephemeralcontainers} subresource (a strategic merge patch of {@code
 * spec.ephemeralContainers}, merged by name, so a retry after a lost response adds nothing twice)
 * and waits until the kubelet reports it running.
 *
 * <p>It shares the pod's network namespace, so it sees the network as the app does. Its command is
 * {@code sleep} for {@code lifetime}, after which it ends on its own; ephemeral containers cannot
 * be removed, so it stays listed in the pod (terminated) until the pod is replaced. Its security
 * context passes the {@code restricted} Pod Security level (kubectl's restricted profile, with a
 * non-root user so that images built to run as root start too).
 *
 * <p>Where it cannot be used the outcome says why, for the caller to fall back: the identity may
 * not patch the subresource or admission refused the container (403), the cluster does not serve it
 * (404 with no object named, as kubectl reads it), the container was refused (422), or it did not
 * start (image pull failure, ended, not running in time). A 404 naming the pod (it went away) and
 * the API server being unavailable fail the future instead: falling back would meet them too.
 */
final class EphemeralDebugContainer {

  /** Waiting reasons after which the kubelet will not start the container without a change. */
  private static final Set<String> CANNOT_START =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  /** What came of the attempt. */
  sealed interface Outcome {
    /** The container runs: commands can be run in it. */
    record Running(String container) implements Outcome {}

    /**
     * It cannot be used, for {@code reason}; {@code added} when it was added to the pod all the
     * same (and stays listed there).
     */
    record Unavailable(String reason, boolean added) implements Outcome {}
  }

  private EphemeralDebugContainer() {}

  /** The container {@link #start} adds. */
  static EphemeralContainer container(String name, String image, Duration lifetime) {
    return new EphemeralContainerBuilder()
        .withName(name)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sleep", String.valueOf(Math.max(1, lifetime.toSeconds())))
        .withTerminationMessagePolicy("File")
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65534L)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .build();
  }

  /**
   * Adds {@code container} to {@code pod} and waits for it to run, within {@code polling}'s
   * timeout. Sending the same container again (a retry, or another attempt of the same step)
   * changes nothing; the wait then finds it as it is.
   */
  static CompletableFuture<Outcome> start(
      Cluster cluster,
      String pod,
      EphemeralContainer container,
      Polling polling,
      AsyncPoll poll,
      StepOutput output) {
    return poll.call(() -> add(cluster, pod, container, output))
        .thenCompose(
            added ->
                added.isPresent()
                    ? CompletableFuture.completedFuture(added.get())
                    : awaitRunning(cluster, pod, container.getName(), polling, poll, output));
  }

  /** Empty when added; else why it could not be. */
  private static Optional<Outcome> add(
      Cluster cluster, String pod, EphemeralContainer container, StepOutput output) {
    String what = "add ephemeral container " + container.getName() + " to pod " + cluster.ref(pod);
    String patch =
        cluster
            .client()
            .getKubernetesSerialization()
            .asJson(Map.of("spec", Map.of("ephemeralContainers", List.of(container))));
    try {
      cluster.call(
          what,
          c ->
              c.pods()
                  .inNamespace(cluster.namespace())
                  .withName(pod)
                  .ephemeralContainers()
                  .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch));
    } catch (ClusterAccessException e) {
      KubernetesClientException refusal = refusal(e);
      if (refusal == null) {
        throw e;
      }
      return Optional.of(new Outcome.Unavailable(why(refusal, pod), false));
    }
    output.line(
        "added ephemeral container "
            + container.getName()
            + " ("
            + container.getImage()
            + ") to pod "
            + cluster.ref(pod));
    return Optional.empty();
  }

  /** The API server's answer when it refused the request itself (4xx, not a missing pod). */
  private static KubernetesClientException refusal(ClusterAccessException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        int code = k.getCode();
        if (code == 404 && !subresourceMissing(k)) {
          return null;
        }
        return code >= 400 && code < 500 && code != 408 && code != 429 ? k : null;
      }
    }
    return null;
  }

  /** kubectl's test: a 404 for a missing subresource has no object named in its details. */
  private static boolean subresourceMissing(KubernetesClientException e) {
    return e.getStatus() == null
        || e.getStatus().getDetails() == null
        || e.getStatus().getDetails().getName() == null
        || e.getStatus().getDetails().getName().isEmpty();
  }

  private static String why(KubernetesClientException e, String pod) {
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return switch (e.getCode()) {
      case 403 ->
          message.contains("cannot patch")
              ? "not allowed to add ephemeral containers (403: "
                  + message
                  + "; RBAC must grant patch on pods/ephemeralcontainers)"
              : "the ephemeral container was refused (403: " + message + ")";
      case 404 ->
          "this cluster does not serve ephemeral containers (404 for pods/ephemeralcontainers:"
              + " Kubernetes 1.25 or newer has them)";
      default -> "the ephemeral container was refused (" + e.getCode() + ": " + message + ")";
    };
  }

  private static CompletableFuture<Outcome> awaitRunning(
      Cluster cluster,
      String pod,
      String name,
      Polling polling,
      AsyncPoll poll,
      StepOutput output) {
    Set<String> said = ConcurrentHashMap.newKeySet();
    return poll.until(
        polling,
        () ->
            Optional.ofNullable(
                cluster.call(
                    "read pod " + cluster.ref(pod),
                    c -> c.pods().inNamespace(cluster.namespace()).withName(pod).get())),
        live -> {
          if (live.isEmpty()) {
            throw new ClusterAccessException(
                "pod " + cluster.ref(pod) + " went away while its ephemeral container started");
          }
          ContainerState state = state(live.get(), name);
          if (state == null) {
            return Optional.empty();
          }
          if (state.getRunning() != null) {
            output.line("ephemeral container " + name + " is running");
            return Optional.of(new Outcome.Running(name));
          }
          if (state.getTerminated() != null) {
            var ended = state.getTerminated();
            return Optional.of(
                new Outcome.Unavailable(
                    "ephemeral container "
                        + name
                        + " ended before the checks ("
                        + ended.getReason()
                        + ", exit code "
                        + ended.getExitCode()
                        + (ended.getMessage() == null ? "" : ": " + ended.getMessage())
                        + ")",
                    true));
          }
          var waiting = state.getWaiting();
          if (waiting != null && CANNOT_START.contains(waiting.getReason())) {
            return Optional.of(
                new Outcome.Unavailable(
                    "ephemeral container "
                        + name
                        + " cannot start: "
                        + waiting.getReason()
                        + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")"),
                    true));
          }
          if (waiting != null && waiting.getReason() != null && said.add(waiting.getReason())) {
            output.line("ephemeral container " + name + ": " + waiting.getReason());
          }
          return Optional.empty();
        },
        live ->
            new Outcome.Unavailable(
                "ephemeral container "
                    + name
                    + " was not running within "
                    + Durations.format(polling.timeout()),
                true));
  }

  private static ContainerState state(Pod pod, String name) {
    if (pod.getStatus() == null || pod.getStatus().getEphemeralContainerStatuses() == null) {
      return null;
    }
    return pod.getStatus().getEphemeralContainerStatuses().stream()
        .filter(s -> name.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }
}
