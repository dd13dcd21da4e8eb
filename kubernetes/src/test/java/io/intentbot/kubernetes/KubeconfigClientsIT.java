package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.MockCluster;
import java.net.ServerSocket;
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
    return kubeconfig(current, server.createClient().getConfiguration().getMasterUrl());
  }

  private Path kubeconfig(String current, String url) throws Exception {
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

  @Test
  void anUnknownKubeContextOfTheEnvironmentIsAnErrorAndNoClusterIsCalled() throws Exception {
    Path file = kubeconfig("mock");
    EnvironmentConfig production =
        new EnvironmentConfig(
            "production", "{app}", true, ApprovalPolicy.DEFAULT, "prod-eu", false, false, Map.of());
    int before = server.getRequestCount();
    try (KubernetesClients clients =
        KubernetesClients.fromKubeconfig(Map.of("KUBECONFIG", file.toString()))) {
      assertThatThrownBy(
              () ->
                  clients.client(
                      new RecordingStepContext(
                          MockCluster.config(Map.of()), production, "shop", Path.of("."))))
          .isInstanceOf(ClusterAccessException.class)
          .hasMessage(
              "kube_context 'prod-eu' of environment production is not in "
                  + file
                  + " (contexts: mock)");
    }
    assertThat(server.getRequestCount())
        .as("no request reached the current context")
        .isEqualTo(before);
  }

  @Test
  void aKubeconfigPointingAtAClosedPortNamesTheServerAndTheContextThenWhatWasTried()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "https://127.0.0.1:" + port;
    Path file = kubeconfig("mock", url);
    ResilientCalls calls = new ResilientCalls(MockCluster.FAST);
    try (KubernetesClients clients =
        KubernetesClients.fromKubeconfig(Map.of("KUBECONFIG", file.toString()))) {
      KubernetesClient client = clients.client(context());
      String what = "read namespace shop-staging";

      assertThatThrownBy(
              () ->
                  calls.call(
                      client, what, () -> client.namespaces().withName("shop-staging").get()))
          .isInstanceOf(ClusterAccessException.class)
          .hasMessageStartingWith(
              "could not read namespace shop-staging: cannot reach the Kubernetes API server "
                  + url
                  + "/ of context 'mock' (")
          .hasMessageContaining("Connect");
      assertThatThrownBy(
              () ->
                  calls.call(
                      client, what, () -> client.namespaces().withName("shop-staging").get()))
          .isInstanceOf(ClusterAccessException.class)
          .hasMessageStartingWith(
              "Kubernetes API server "
                  + url
                  + "/ (context 'mock'; 4 of the last 4 calls failed, the last: read namespace"
                  + " shop-staging: ")
          .hasMessageContaining("is unavailable (circuit open after repeated failures)")
          .hasMessageContaining("it is tried again 30s after the circuit opened");
    }
  }

  @Test
  void aServerNameThatDoesNotResolveIsNamed() {
    String url = "https://kube.example.invalid:6443";
    try (KubernetesClient client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(url).build())
            .build()) {
      ResilientCalls calls =
          new ResilientCalls(
              new ApiResilience(
                  1,
                  java.time.Duration.ofMillis(1),
                  java.time.Duration.ofMillis(1),
                  50,
                  4,
                  java.time.Duration.ofSeconds(30)));

      assertThatThrownBy(
              () ->
                  calls.call(
                      client,
                      "read deployment shop/web",
                      () -> {
                        throw new io.fabric8.kubernetes.client.KubernetesClientException(
                            "Operation: [get] failed",
                            new java.net.UnknownHostException("kube.example.invalid"));
                      }))
          .hasMessage(
              "could not read deployment shop/web: cannot reach the Kubernetes API server "
                  + url
                  + "/ (UnknownHostException: kube.example.invalid); check that the cluster is up"
                  + " and that the kubeconfig names the right server");
    }
  }

  @Test
  void noClusterConfiguredFailsEveryStepAtOnceAndNeverOpensTheCircuit() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    try (KubernetesClients clients =
        KubernetesClients.fromKubeconfig(Map.of("HOME", home.toString()))) {
      var step =
          new io.intentbot.kubernetes.deployment.ScaleStepType(
              ClusterAccess.of(clients, new ResilientCalls(MockCluster.FAST)));
      for (int i = 0; i < 8; i++) {
        var result = step.execute(MockCluster.with("deployment", "web", "replicas", 1), context());

        assertThat(result.reason())
            .as("attempt " + (i + 1))
            .isEqualTo(
                "no Kubernetes cluster configured for staging: set KUBECONFIG, or kube_context in"
                    + " config, or run inside a pod");
      }
    }
  }
}
