package io.intentbot.kubernetes.leader;

import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how the replicas elect their leader: a {@code coordination.k8s.io/v1} Lease, and the
 * timings of fabric8's leader election. Read from the environment by {@link #from(Map, String)}:
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>{@code INTENTBOT_LEADER_LEASE}</td><td>the Lease's name</td><td>intentbot-leader</td>
 *   <tr><td>{@code POD_NAMESPACE}</td><td>its namespace</td><td>the client's, else default</td>
 *   <tr><td>{@code POD_NAME}, else {@code HOSTNAME}</td><td>this replica, with the process id</td>
 *   <tr><td>{@code INTENTBOT_LEADER_LEASE_DURATION}</td><td>how long others wait for a silent
 *       leader</td><td>15s</td>
 *   <tr><td>{@code INTENTBOT_LEADER_RENEW_DEADLINE}</td><td>how long the leader tries to renew
 *       before it stops leading</td><td>10s</td>
 *   <tr><td>{@code INTENTBOT_LEADER_RETRY_PERIOD}</td><td>how often candidates try and the leader
 *       renews</td><td>2s</td>
 * </table>
 *
 * @param namespace the Lease's namespace
 * @param leaseName the Lease's name
 * @param identity this process among the candidates (pod name and process id)
 * @param leaseDuration how long a Lease lasts unrenewed: others take over after it
 * @param renewDeadline how long the leader keeps trying to renew before it stops leading; shorter
 *     than the lease duration, so that it stops before anyone else may start
 * @param retryPeriod how often candidates try to take the Lease and the leader renews it
 */
public record LeaderElectionSettings(
    String namespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  public static final String DEFAULT_LEASE = "intentbot-leader";

  public LeaderElectionSettings {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(leaseName, "leaseName");
    Objects.requireNonNull(identity, "identity");
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("the leader retry period must be positive");
    }
    if (renewDeadline.compareTo(retryPeriod) <= 0 || leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          "leader election needs retry period < renew deadline < lease duration, got "
              + Durations.format(retryPeriod)
              + ", "
              + Durations.format(renewDeadline)
              + ", "
              + Durations.format(leaseDuration));
    }
  }

  /**
   * Settings from environment variables (see the class comment); {@code clientNamespace} is the
   * Kubernetes client's namespace (the service account's inside a pod), used without {@code
   * POD_NAMESPACE}.
   *
   * @throws IllegalArgumentException when a duration does not parse or the timings do not fit
   */
  public static LeaderElectionSettings from(Map<String, String> env, String clientNamespace) {
    String namespace = first(env.get("POD_NAMESPACE"), clientNamespace, "default");
    String pod = first(env.get("POD_NAME"), env.get("HOSTNAME"), "intentbot");
    return new LeaderElectionSettings(
        namespace,
        first(env.get("INTENTBOT_LEADER_LEASE"), DEFAULT_LEASE),
        pod + "_" + ProcessHandle.current().pid(),
        duration(env, "INTENTBOT_LEADER_LEASE_DURATION", "15s"),
        duration(env, "INTENTBOT_LEADER_RENEW_DEADLINE", "10s"),
        duration(env, "INTENTBOT_LEADER_RETRY_PERIOD", "2s"));
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    String text = first(env.get(name), fallback);
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    name + " must be a duration such as " + fallback + ", got '" + text + "'"));
  }

  private static String first(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate.trim();
      }
    }
    return null;
  }
}
