package io.intentbot.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Gives step types a Kubernetes client for the run they are part of: the cluster of the run's
 * environment (its kube context), acting as the requester when the environment sets {@code
 * impersonate: true}.
 *
 * <p>Production uses {@link #fromKubeconfig()} (KUBECONFIG with kubectl's rules, or the in-cluster
 * service account); tests use {@link #fromConfig(Config)} with the mock server's config. Clients
 * are cached per (context, user) and shared by all runs; {@link #close()} closes them.
 *
 * <pre>{@code
 * KubernetesClients clients = KubernetesClients.fromKubeconfig();
 * List<StepType> types = KubernetesStepTypes.all(config, clients);
 * }</pre>
 */
public final class KubernetesClients implements AutoCloseable {

  private final BiFunction<Optional<String>, String, Config> configLoader;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  private KubernetesClients(BiFunction<Optional<String>, String, Config> configLoader) {
    this.configLoader = configLoader;
  }

  /**
   * KUBECONFIG (or ~/.kube/config, or in-cluster config), switching to the environment's context; a
   * missing file, an unknown context or no cluster at all fails the step at once, naming it ({@link
   * KubeconfigResolver}).
   */
  public static KubernetesClients fromKubeconfig() {
    return fromKubeconfig(System.getenv());
  }

  /**
   * As {@link #fromKubeconfig()}, reading KUBECONFIG, HOME and KUBERNETES_SERVICE_HOST from env.
   */
  public static KubernetesClients fromKubeconfig(Map<String, String> env) {
    KubeconfigResolver resolver =
        new KubeconfigResolver(env, Path.of(KubeconfigResolver.SERVICE_ACCOUNT_TOKEN));
    return new KubernetesClients(resolver::resolve);
  }

  /** One fixed cluster whatever the environment's context (tests, or a single-cluster setup). */
  public static KubernetesClients fromConfig(Config config) {
    return new KubernetesClients((context, environment) -> new ConfigBuilder(config).build());
  }

  /**
   * The client for a step: the environment's kube context, impersonating the requester when the
   * environment asks for it.
   *
   * @throws ClusterAccessException when impersonation is required but the requester has no mapping
   */
  public KubernetesClient client(StepContext context) {
    Optional<EnvironmentConfig> environment = context.environment();
    Optional<String> kubeContext = environment.flatMap(EnvironmentConfig::kubeContextName);
    Optional<IntentbotConfig.UserMapping> identity = Optional.empty();
    if (environment.isPresent() && environment.get().impersonate()) {
      IntentbotConfig.UserMapping mapping =
          context.config().userMappings().get(context.requester());
      if (mapping == null || mapping.kubernetesUser() == null) {
        throw new ClusterAccessException(
            "environment '"
                + environment.get().name()
                + "' runs cluster calls as the requester, but user '"
                + context.requester()
                + "' has no Kubernetes identity in config (user_mappings)");
      }
      identity = Optional.of(mapping);
    }
    String key = kubeContext.orElse("") + "|" + identity.map(i -> i.kubernetesUser()).orElse("");
    Optional<IntentbotConfig.UserMapping> as = identity;
    String environmentName = environment.map(EnvironmentConfig::name).orElse("this run");
    return clients.computeIfAbsent(key, k -> build(kubeContext, environmentName, as));
  }

  /**
   * The namespace a step acts in: {@code requested} ({@code with.namespace}), else the
   * environment's for the app, else null.
   */
  public static String namespace(String requested, StepContext context) {
    return Optional.ofNullable(requested)
        .filter(ns -> !ns.isBlank())
        .or(() -> context.environment().map(env -> env.namespaceFor(context.app().orElse(null))))
        .orElse(null);
  }

  private KubernetesClient build(
      Optional<String> kubeContext,
      String environment,
      Optional<IntentbotConfig.UserMapping> identity) {
    Config config = configLoader.apply(kubeContext, environment);
    // Retries are ours (ResilientCalls), in one place; the client must not retry on its own too.
    config.setRequestRetryBackoffLimit(0);
    identity.ifPresent(
        id -> {
          config.setImpersonateUsername(id.kubernetesUser());
          config.setImpersonateGroups(id.kubernetesGroups().toArray(String[]::new));
        });
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public void close() {
    clients.values().forEach(KubernetesClient::close);
    clients.clear();
  }
}
