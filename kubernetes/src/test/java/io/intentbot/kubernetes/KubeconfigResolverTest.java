package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which cluster an environment reaches, or a clear error: never a guess. */
class KubeconfigResolverTest {

  @TempDir Path dir;

  private Path kubeconfig(String name, String current, String... contexts) throws Exception {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\n");
    yaml.append("clusters:\n");
    for (String c : contexts) {
      yaml.append("- name: ")
          .append(c)
          .append("\n  cluster: { server: 'https://")
          .append(c)
          .append(".example:6443' }\n");
    }
    yaml.append("users:\n- name: u\n  user: { token: t }\n");
    yaml.append("contexts:\n");
    for (String c : contexts) {
      yaml.append("- name: ").append(c).append("\n  context: { cluster: ").append(c);
      yaml.append(", user: u }\n");
    }
    if (current != null) {
      yaml.append("current-context: ").append(current).append('\n');
    }
    return Files.writeString(dir.resolve(name), yaml.toString());
  }

  private KubeconfigResolver resolver(Map<String, String> env) {
    return new KubeconfigResolver(env, dir.resolve("no-token"));
  }

  @Test
  void theNamedContextIsUsedAndAnUnknownOneIsAnErrorListingTheKnownOnes() throws Exception {
    Path file = kubeconfig("config", "staging", "staging", "production");
    KubeconfigResolver resolver = resolver(Map.of("KUBECONFIG", file.toString()));

    Config production = resolver.resolve(Optional.of("production"), "production");
    assertThat(production.getMasterUrl()).contains("production.example:6443");
    assertThat(resolver.resolve(Optional.empty(), "sandbox").getMasterUrl())
        .contains("staging.example:6443");
    assertThatThrownBy(() -> resolver.resolve(Optional.of("prod"), "production"))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "kube_context 'prod' of environment production is not in "
                + file
                + " (contexts: staging, production)");
  }

  @Test
  void aKubeconfigFileThatDoesNotExistIsNamed() {
    String missing = dir.resolve("nope.yaml").toString();
    assertThatThrownBy(
            () -> resolver(Map.of("KUBECONFIG", missing)).resolve(Optional.empty(), "sandbox"))
        .hasMessage(
            "KUBECONFIG names "
                + missing
                + ", which does not exist (environment sandbox): fix KUBECONFIG or create the"
                + " file");
  }

  @Test
  void noClusterAtAllSaysHowToConfigureOneAtOnce() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                resolver(Map.of("HOME", dir.toString(), "KUBERNETES_SERVICE_HOST", "10.0.0.1"))
                    .resolve(Optional.empty(), "sandbox"))
        .hasMessage(
            "no Kubernetes cluster configured for sandbox: set KUBECONFIG, or kube_context in"
                + " config, or run inside a pod");
    assertThat(System.nanoTime() - start).as("no retries").isLessThan(2_000_000_000L);
  }

  @Test
  void homeKubeConfigIsReadWhenKubeconfigIsUnsetAndMustHaveACurrentContext() throws Exception {
    Files.createDirectories(dir.resolve(".kube"));
    Path file = kubeconfig(".kube/config", null, "only");
    KubeconfigResolver resolver = resolver(Map.of("HOME", dir.toString()));

    assertThat(resolver.resolve(Optional.of("only"), "sandbox").getMasterUrl())
        .contains("only.example");
    assertThatThrownBy(() -> resolver.resolve(Optional.empty(), "sandbox"))
        .hasMessage(
            file
                + " has no current-context: set kube_context for sandbox in config (contexts:"
                + " only)");
  }

  @Test
  void aContextWithOnlyAServiceAccountIsRefused() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    KubeconfigResolver inPod =
        new KubeconfigResolver(
            Map.of("HOME", dir.toString(), "KUBERNETES_SERVICE_HOST", "10.0.0.1"), token);
    assertThatThrownBy(() -> inPod.resolve(Optional.of("production"), "production"))
        .hasMessageContaining(
            "kube_context 'production' of environment production needs a kubeconfig");
    assertThat(new File(token.toString())).exists();
  }
}
