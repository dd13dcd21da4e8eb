package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Polling;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The short-lived pod {@code kubernetes.network-check} runs its checks in with {@code method: pod}:
 * one container ({@code check}) sleeping at most 10 minutes, labelled as intentbot's, never
 * restarted, deleted by the step however the checks end. It states small requests and limits
 * ({@link #REQUESTS}, {@link #LIMITS}): a namespace whose ResourceQuota limits cpu or memory
 * refuses a pod that does not ("must specify ..."), unless a LimitRange fills them in.
 */
final class NetworkDebugPod {

  private NetworkDebugPod() {}

  /** What the checks (nslookup, nc, wget) need, and what a compute quota makes a pod state. */
  static final java.util.Map<String, String> REQUESTS =
      java.util.Map.of("cpu", "10m", "memory", "16Mi");

  static final java.util.Map<String, String> LIMITS =
      java.util.Map.of("cpu", "100m", "memory", "64Mi");

  private static java.util.Map<String, io.fabric8.kubernetes.api.model.Quantity> quantities(
      java.util.Map<String, String> values) {
    java.util.Map<String, io.fabric8.kubernetes.api.model.Quantity> out = new java.util.TreeMap<>();
    values.forEach((k, v) -> out.put(k, new io.fabric8.kubernetes.api.model.Quantity(v)));
    return out;
  }

  static void create(StepContext context, Cluster cluster, String name, String image) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(cluster.namespace())
            .addToLabels("app.kubernetes.io/managed-by", "intentbot")
            .addToLabels("intentbot.io/purpose", "network-check")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withActiveDeadlineSeconds(600L)
            .addNewContainer()
            .withName("check")
            .withImage(image)
            .withCommand("sleep", "600")
            .withNewResources()
            .withRequests(quantities(REQUESTS))
            .withLimits(quantities(LIMITS))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    cluster.call("create debug pod " + cluster.ref(name), c -> c.resource(pod).create());
    context.output().line("started debug pod " + cluster.ref(name) + " (" + image + ")");
  }

  /** Completes when the debug pod runs; fails when it ended or did not start in time. */
  static CompletableFuture<Pod> awaitRunning(
      Cluster cluster, String name, Polling polling, AsyncPoll poll) {
    return poll.until(
        polling,
        () ->
            Optional.ofNullable(
                cluster.call(
                    "read pod " + cluster.ref(name),
                    c -> c.pods().inNamespace(cluster.namespace()).withName(name).get())),
        live -> {
          String phase = live.map(Pod::getStatus).map(PodStatus::getPhase).orElse(null);
          if ("Running".equals(phase)) {
            return live;
          }
          if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            throw new ClusterAccessException(
                "debug pod " + cluster.ref(name) + " ended (" + phase + ") before the checks");
          }
          return Optional.empty();
        },
        live -> {
          throw new ClusterAccessException(
              "debug pod "
                  + cluster.ref(name)
                  + " was not running within "
                  + Durations.format(polling.timeout()));
        });
  }

  static void delete(StepContext context, Cluster cluster, String name) {
    try {
      cluster.run(
          "delete debug pod " + cluster.ref(name),
          c ->
              c.pods().inNamespace(cluster.namespace()).withName(name).withGracePeriod(0).delete());
      context.output().line("deleted debug pod " + cluster.ref(name));
    } catch (ClusterAccessException e) {
      context
          .output()
          .line("could not delete debug pod " + cluster.ref(name) + ": " + e.getMessage());
    }
  }
}
