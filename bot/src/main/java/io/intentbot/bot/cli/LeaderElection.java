package io.intentbot.bot.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.intentbot.engine.config.ConfigException;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.kubernetes.leader.KubernetesLeadership;
import io.intentbot.kubernetes.leader.LeaderElectionSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How {@code serve} and {@code socket} choose the replica that does the background duties, from
 * {@code INTENTBOT_LEADER_ELECTION}: {@code kubernetes} (a Lease, see {@link
 * LeaderElectionSettings}), {@code database} (a lease per duty in the audit database), or {@code
 * auto} (the default): Kubernetes inside a pod ({@code KUBERNETES_SERVICE_HOST} is set), else the
 * database.
 */
final class LeaderElection {

  static final String VARIABLE = "INTENTBOT_LEADER_ELECTION";

  enum Kind {
    KUBERNETES,
    DATABASE
  }

  private LeaderElection() {}

  static Kind kind(Map<String, String> env) {
    String value = env.getOrDefault(VARIABLE, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "kubernetes" -> Kind.KUBERNETES;
      case "database" -> Kind.DATABASE;
      case "auto", "" -> {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        yield host != null && !host.isBlank() ? Kind.KUBERNETES : Kind.DATABASE;
      }
      default ->
          throw new ConfigException(
              VARIABLE + " must be auto, kubernetes or database, got '" + env.get(VARIABLE) + "'");
    };
  }

  /**
   * The Kubernetes election when {@link #kind} says so, started on the client {@code cluster}
   * gives; empty for the database leases (the engine's default).
   */
  static Optional<Leadership> choose(Map<String, String> env, Supplier<KubernetesClient> cluster) {
    if (kind(env) == Kind.DATABASE) {
      return Optional.empty();
    }
    LeaderElectionSettings settings;
    KubernetesClient client = cluster.get();
    try {
      settings = LeaderElectionSettings.from(env, client.getNamespace());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    return Optional.of(KubernetesLeadership.start(client, settings));
  }
}
