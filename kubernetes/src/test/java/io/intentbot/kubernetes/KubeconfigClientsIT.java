package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real kubeconfig file read as production reads it, against the mock API server. */
class KubeconfigClientsIT {

  @TempDir Path dir;
  private KubernetesMockServer server;

  @BeforeEach
  void start() {
    server = MockCluster.startServer();
    try (KubernetesClient admin = server.createClient()) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("shop-staging")
                  .endMetadata()
                  .build())
          .create();
    }
  }

  @AfterEach
  void stop() {
    server.destroy();
  }

  private Path kubeconfig(String current) throws Exception {
    String url = server.createClient().getConfiguration().getMasterUrl();
    return Files.writeString(
        dir.resolve("kubeconfig"),
        "apiVersion: v1\nkind: Config\n"
            + "clusters:\n- name: mock\n  cluster: { server: '"
            + url
            + "', insecure-skip-tls-verify: true }\n"
            + "users:\n- name: u\n  user: { token: t }\n"
            + "contexts:\n- name: mock\n  context: { cluster: mock, user: u }\n"
            + "current-context: "
            + current
            + "\n");
  }

  private static RecordingStepContext context() {
    return new RecordingStepContext(
        MockCluster.config(Map.of()), MockCluster.staging(), "shop", Path.of("."));
  }

  @Test
  void theCurrentContextOfKubeconfigReachesItsCluster() throws Exception {
    Path file = kubeconfig("mock");
    try (KubernetesClients clients =
        KubernetesClients.fromKubeconfig(Map.of("KUBECONFIG", file.toString()))) {
      KubernetesClient client = clients.client(context());
      assertThat(client.namespaces().withName("shop-staging").get()).isNotNull();
    }
  }

  @Test
  void aCurrentContextThatIsNotThereFailsAtOnceInsteadOfReachingAnotherCluster() throws Exception {
    Path file = kubeconfig("gone");
    try (KubernetesClients clients =
        KubernetesClients.fromKubeconfig(Map.of("KUBECONFIG", file.toString()))) {
      assertThatThrownBy(() -> clients.client(context()))
          .isInstanceOf(ClusterAccessException.class)
          .hasMessage("the current-context 'gone' is not in " + file + " (contexts: mock)");
    }
  }
}
