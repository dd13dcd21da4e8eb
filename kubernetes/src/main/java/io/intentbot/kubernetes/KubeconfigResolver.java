package io.intentbot.kubernetes;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the cluster of an environment as kubectl does (KUBECONFIG, else {@code ~/.kube/config},
 * else the pod's service account), but never guesses: a KUBECONFIG file that does not exist, a
 * {@code kube_context} that no kubeconfig has, or no cluster at all is a {@link
 * ClusterAccessException} naming what was looked for, thrown before any call. fabric8's {@code
 * Config.autoConfigure} would instead fall back to the current context, another cluster, or to
 * {@code https://kubernetes.default.svc} and retry it for seconds.
 */
final class KubeconfigResolver {

  static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  private final Map<String, String> env;
  private final Path serviceAccountToken;

  KubeconfigResolver(Map<String, String> env, Path serviceAccountToken) {
    this.env = env;
    this.serviceAccountToken = serviceAccountToken;
  }

  /**
   * The client config for {@code environment}'s cluster.
   *
   * @param context the environment's {@code kube_context}, if it has one
   */
  Config resolve(Optional<String> context, String environment) {
    List<File> files = kubeconfigFiles(environment);
    if (files.isEmpty()) {
      if (inCluster()) {
        if (context.isPresent()) {
          throw new ClusterAccessException(
              "kube_context '"
                  + context.get()
                  + "' of environment "
                  + environment
                  + " needs a kubeconfig (KUBECONFIG or ~/.kube/config), but there is only the"
                  + " pod's service account: remove kube_context or mount a kubeconfig");
        }
        return Config.autoConfigure(null);
      }
      throw new ClusterAccessException(
          "no Kubernetes cluster configured for "
              + environment
              + ": set KUBECONFIG, or kube_context in config, or run inside a pod");
    }
    Set<String> contexts = new LinkedHashSet<>();
    String current = null;
    for (File file : files) {
      io.fabric8.kubernetes.api.model.Config parsed;
      try {
        parsed = KubeConfigUtils.parseConfig(file);
      } catch (RuntimeException e) {
        throw new ClusterAccessException(
            "kubeconfig " + file + " cannot be read: " + e.getMessage(), e);
      }
      if (parsed.getContexts() != null) {
        parsed.getContexts().stream().map(NamedContext::getName).forEach(contexts::add);
      }
      if (current == null && parsed.getCurrentContext() != null) {
        current = parsed.getCurrentContext().isBlank() ? null : parsed.getCurrentContext();
      }
    }
    String chosen = context.orElse(current);
    if (chosen == null) {
      throw new ClusterAccessException(
          shown(files)
              + " has no current-context: set kube_context for "
              + environment
              + " in config (contexts: "
              + listed(contexts)
              + ")");
    }
    if (!contexts.contains(chosen)) {
      throw new ClusterAccessException(
          (context.isPresent()
                  ? "kube_context '" + chosen + "' of environment " + environment
                  : "the current-context '" + chosen + "'")
              + " is not in "
              + shown(files)
              + " (contexts: "
              + listed(contexts)
              + ")");
    }
    if (files.size() == 1) {
      return Config.fromKubeconfig(chosen, files.get(0));
    }
    // Several files are merged by fabric8 from the process's own KUBECONFIG, which env is.
    return Config.autoConfigure(chosen);
  }

  private List<File> kubeconfigFiles(String environment) {
    String listed = env.get("KUBECONFIG");
    List<File> files = new ArrayList<>();
    if (listed != null && !listed.isBlank()) {
      for (String part : listed.split(File.pathSeparator)) {
        if (part.isBlank()) {
          continue;
        }
        File file = new File(part);
        if (!file.isFile()) {
          throw new ClusterAccessException(
              "KUBECONFIG names "
                  + part
                  + ", which does not exist (environment "
                  + environment
                  + "): fix KUBECONFIG or create the file");
        }
        files.add(file);
      }
      return files;
    }
    String home = env.get("HOME");
    if (home != null && !home.isBlank()) {
      File standard = Path.of(home, ".kube", "config").toFile();
      if (standard.isFile()) {
        files.add(standard);
      }
    }
    return files;
  }

  private boolean inCluster() {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    return host != null && !host.isBlank() && Files.isRegularFile(serviceAccountToken);
  }

  private static String shown(List<File> files) {
    return files.size() == 1 ? files.get(0).toString() : "KUBECONFIG " + files;
  }

  private static String listed(Set<String> contexts) {
    return contexts.isEmpty() ? "none" : String.join(", ", contexts);
  }
}
