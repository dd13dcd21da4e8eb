package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.Cluster;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the pods of a rollout's new ReplicaSet that will not come up on their own, so a rollout
 * fails with the reason instead of at its timeout: a container waiting with one of {@link
 * #WAITING_REASONS} for longer than the grace, or a pod the scheduler reports Unschedulable (at
 * once). The grace is counted from the pod's {@code Ready} condition turning False, else from when
 * this rollout first saw the container waiting. Then it reads the pod's latest events and, for a
 * container that ran (a crash loop: the previous container), its last log lines.
 *
 * <p>One instance per rollout-status execution: it remembers when it first saw each container wait.
 */
final class PodFailures {

  /** The waiting reasons that do not clear without a change (kubelet's names). */
  static final Set<String> WAITING_REASONS =
      Set.of(
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "CrashLoopBackOff",
          "CreateContainerConfigError");

  static final int EVENTS = 5;
  static final int LOG_LINES = 20;

  private final Duration grace;
  private final Map<String, Instant> firstSeen = new HashMap<>();

  PodFailures(Duration grace) {
    this.grace = grace;
  }

  /** What failed: the pod, the container (null for a pod problem), the reason and message. */
  record Failure(
      String pod,
      String container,
      String reason,
      String message,
      Duration since,
      List<String> events,
      List<String> logs) {

    String describe() {
      StringBuilder text = new StringBuilder("pod ").append(pod);
      if (container != null) {
        text.append(" container ").append(container);
      }
      text.append(": ").append(reason);
      if (since != null && !since.isZero()) {
        text.append(" for ").append(Durations.format(since));
      }
      if (message != null && !message.isBlank()) {
        text.append(": ").append(message);
      }
      if (!events.isEmpty()) {
        text.append("; latest events: ").append(String.join(" | ", events));
      }
      if (!logs.isEmpty()) {
        List<String> last = logs.subList(Math.max(0, logs.size() - 5), logs.size());
        text.append("; last log lines: ").append(String.join(" | ", last));
      }
      return text.toString();
    }
  }

  Duration grace() {
    return grace;
  }

  /** The pods the ReplicaSet selects and owns. */
  static List<Pod> podsOf(Cluster cluster, ReplicaSet rs) {
    Map<String, String> labels = rs.getSpec().getTemplate().getMetadata().getLabels();
    return owned(
        cluster.call(
            "list pods of replica set " + cluster.ref(rs.getMetadata().getName()),
            c -> c.pods().inNamespace(cluster.namespace()).withLabels(labels).list().getItems()),
        rs);
  }

  /** Of {@code pods}, those the ReplicaSet selects and owns, by name. */
  static List<Pod> owned(List<Pod> pods, ReplicaSet rs) {
    Map<String, String> labels = rs.getSpec().getTemplate().getMetadata().getLabels();
    String uid = rs.getMetadata().getUid();
    return pods.stream()
        .filter(
            p ->
                labels == null
                    || (p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())))
        .filter(
            p ->
                uid == null
                    || p.getMetadata().getOwnerReferences() == null
                    || p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> uid.equals(o.getUid())))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /** The first pod that will not come up, with its events and logs read, if any. */
  Optional<Failure> find(
      Cluster cluster, List<Pod> pods, Instant now, java.util.function.Consumer<Instant> lookAt) {
    for (Pod pod : pods) {
      Optional<Failure> found = inspect(pod, now, lookAt);
      if (found.isPresent()) {
        Failure f = found.get();
        return Optional.of(
            new Failure(
                f.pod(),
                f.container(),
                f.reason(),
                f.message(),
                f.since(),
                events(cluster, f.pod()),
                logs(cluster, pod, f)));
      }
    }
    return Optional.empty();
  }

  /** A failure of the pod, or none yet ({@code lookAt} then gets when a grace runs out). */
  private Optional<Failure> inspect(
      Pod pod, Instant now, java.util.function.Consumer<Instant> lookAt) {
    String name = pod.getMetadata().getName();
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<PodCondition> conditions =
        pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.getType())
          && "False".equals(c.getStatus())
          && "Unschedulable".equals(c.getReason())) {
        return Optional.of(
            new Failure(name, null, "Unschedulable", c.getMessage(), null, List.of(), List.of()));
      }
    }
    Instant notReadySince =
        conditions.stream()
            .filter(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()))
            .map(c -> parse(c.getLastTransitionTime()))
            .flatMap(Optional::stream)
            .filter(t -> !t.isAfter(now))
            .findFirst()
            .orElse(null);
    List<ContainerStatus> statuses =
        Stream.concat(
                stream(pod.getStatus().getInitContainerStatuses()),
                stream(pod.getStatus().getContainerStatuses()))
            .toList();
    for (ContainerStatus s : statuses) {
      if (s.getState() == null || s.getState().getWaiting() == null) {
        continue;
      }
      String reason = s.getState().getWaiting().getReason();
      if (reason == null || !WAITING_REASONS.contains(reason)) {
        continue;
      }
      Instant seen = firstSeen.computeIfAbsent(name + "/" + s.getName(), k -> now);
      Instant since = notReadySince != null && notReadySince.isBefore(seen) ? notReadySince : seen;
      Duration waited = Duration.between(since, now);
      if (waited.compareTo(grace) >= 0) {
        return Optional.of(
            new Failure(
                name,
                s.getName(),
                reason,
                s.getState().getWaiting().getMessage(),
                waited,
                List.of(),
                List.of()));
      }
      lookAt.accept(since.plus(grace));
    }
    return Optional.empty();
  }

  private static List<String> events(Cluster cluster, String pod) {
    return io.intentbot.kubernetes.PodEvents.of(cluster, pod, EVENTS);
  }

  /** The last log lines of a container that ran: the previous one for a crash loop. */
  private static List<String> logs(Cluster cluster, Pod pod, Failure failure) {
    if (!"CrashLoopBackOff".equals(failure.reason()) || failure.container() == null) {
      return List.of();
    }
    try {
      String log =
          cluster.call(
              "read the log of pod " + cluster.ref(failure.pod()),
              c ->
                  c.pods()
                      .inNamespace(cluster.namespace())
                      .withName(failure.pod())
                      .inContainer(failure.container())
                      .terminated()
                      .tailingLines(LOG_LINES)
                      .getLog());
      return log == null ? List.of() : log.strip().lines().toList();
    } catch (RuntimeException e) {
      return List.of("(the previous container's log could not be read: " + e.getMessage() + ")");
    }
  }

  private static Stream<ContainerStatus> stream(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  private static Optional<Instant> parse(String time) {
    if (time == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
