package io.intentbot.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The latest events of pods, as {@code kubectl describe pod} shows them ({@code Reason: message},
 * oldest first): the scheduler's FailedScheduling, the kubelet's Failed/BackOff.
 */
public final class PodEvents {

  private PodEvents() {}

  /** The latest {@code limit} events of one pod; a failed read is said in the list. */
  public static List<String> of(Cluster cluster, String pod, int limit) {
    try {
      List<Event> events =
          cluster.call(
              "list events of pod " + cluster.ref(pod),
              c ->
                  c.v1()
                      .events()
                      .inNamespace(cluster.namespace())
                      .withField("involvedObject.name", pod)
                      .list()
                      .getItems());
      if (events.isEmpty()) {
        // an API server that does not index involvedObject.name (fabric8's mock) answers none
        events = all(cluster);
      }
      return latest(events, Set.of(pod), limit).getOrDefault(pod, List.of());
    } catch (RuntimeException e) {
      return List.of("(events could not be read: " + e.getMessage() + ")");
    }
  }

  /** The latest {@code limit} events of each of {@code pods}, with one list of the namespace's. */
  public static Map<String, List<String>> of(Cluster cluster, Set<String> pods, int limit) {
    return latest(all(cluster), pods, limit);
  }

  private static List<Event> all(Cluster cluster) {
    return cluster.call(
        "list events in " + cluster.namespace(),
        c -> c.v1().events().inNamespace(cluster.namespace()).list().getItems());
  }

  private static Map<String, List<String>> latest(List<Event> events, Set<String> pods, int limit) {
    Map<String, List<String>> byPod = new LinkedHashMap<>();
    events.stream()
        .filter(e -> e.getInvolvedObject() != null)
        .filter(e -> pods.contains(e.getInvolvedObject().getName()))
        .filter(
            e ->
                e.getInvolvedObject().getKind() == null
                    || "Pod".equals(e.getInvolvedObject().getKind()))
        .sorted(Comparator.comparing(PodEvents::lastSeen))
        .forEach(
            e ->
                byPod
                    .computeIfAbsent(e.getInvolvedObject().getName(), k -> new ArrayList<>())
                    .add(e.getReason() + ": " + e.getMessage()));
    byPod.replaceAll(
        (pod, l) -> new ArrayList<>(l.subList(Math.max(0, l.size() - limit), l.size())));
    return byPod;
  }

  private static String lastSeen(Event e) {
    String t =
        e.getLastTimestamp() != null
            ? e.getLastTimestamp()
            : e.getEventTime() == null ? null : e.getEventTime().getTime();
    return t == null ? "" : t;
  }
}
