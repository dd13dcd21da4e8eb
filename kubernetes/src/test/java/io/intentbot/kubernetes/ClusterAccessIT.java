package io.intentbot.kubernetes;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.deployment.ScaleStepType;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resilience of API calls and impersonation, against the mock API server. */
class ClusterAccessIT {

  private static final String PATH = "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments/web";

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void answer500(int times) {
    var status =
        new StatusBuilder().withCode(500).withMessage("etcdserver: leader changed").build();
    var expectation = cluster.server.expect().get().withPath(PATH).andReturn(500, status);
    if (times < 0) {
      expectation.always();
    } else {
      expectation.times(times);
    }
  }

  @Test
  void aServerErrorIsRetriedAndTheStepSucceeds() throws Exception {
    answer500(2);
    cluster
        .server
        .expect()
        .get()
        .withPath(PATH)
        .andReturn(200, ClusterObjects.deployment("web", "web:1", 2))
        .always();
    var step = new ScaleStepType(cluster.access);
    int before = cluster.server.getRequestCount();

    var plan = step.plan(with("deployment", "web", "replicas", 4), cluster.dryRunContext());

    assertThat(plan.summary()).isEqualTo("Scale deployment shop-staging/web from 2 to 4 replicas");
    assertThat(cluster.server.getRequestCount() - before).isEqualTo(3);
  }

  @Test
  void aServerThatTimesOutForAWhileIsRetriedAndTheStepSucceeds() throws Exception {
    cluster
        .server
        .expect()
        .get()
        .delay(2, java.util.concurrent.TimeUnit.SECONDS)
        .withPath(PATH)
        .andReturn(200, ClusterObjects.deployment("web", "web:1", 2))
        .times(2);
    cluster
        .server
        .expect()
        .get()
        .withPath(PATH)
        .andReturn(200, ClusterObjects.deployment("web", "web:1", 2))
        .always();
    try (KubernetesClients impatient =
        KubernetesClients.fromConfig(
            new ConfigBuilder(cluster.admin.getConfiguration()).withRequestTimeout(300).build())) {
      var step =
          new ScaleStepType(ClusterAccess.of(impatient, new ResilientCalls(MockCluster.FAST)));
      int before = cluster.server.getRequestCount();
      long start = System.nanoTime();

      var plan = step.plan(with("deployment", "web", "replicas", 4), cluster.dryRunContext());

      assertThat(plan.summary())
          .isEqualTo("Scale deployment shop-staging/web from 2 to 4 replicas");
      assertThat(cluster.server.getRequestCount() - before)
          .as("two timeouts, then an answer")
          .isEqualTo(3);
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("the 300 ms request timeout applied, not the default 10 s (not a speed target)")
          .isLessThan(10_000);
    }
  }

  @Test
  void aServerThatKeepsTimingOutFailsTheStepNamingTheTimeout() throws Exception {
    cluster
        .server
        .expect()
        .get()
        .delay(2, java.util.concurrent.TimeUnit.SECONDS)
        .withPath(PATH)
        .andReturn(200, ClusterObjects.deployment("web", "web:1", 2))
        .always();
    try (KubernetesClients impatient =
        KubernetesClients.fromConfig(
            new ConfigBuilder(cluster.admin.getConfiguration()).withRequestTimeout(200).build())) {
      var step =
          new ScaleStepType(ClusterAccess.of(impatient, new ResilientCalls(MockCluster.FAST)));

      StepResult result = step.execute(with("deployment", "web", "replicas", 4), cluster.context());

      assertThat(result.failed()).isTrue();
      assertThat(result.reason())
          .startsWith("could not read deployment shop-staging/web: ")
          .containsIgnoringCase("timeout");
    }
  }

  @Test
  void aFailingServerOpensTheCircuitAndStepsFailFast() throws Exception {
    answer500(-1);
    var step = new ScaleStepType(cluster.access);
    var input = with("deployment", "web", "replicas", 4);

    StepResult first = step.execute(input, cluster.context());
    StepResult second = step.execute(input, cluster.context());
    int requests = cluster.server.getRequestCount();
    long start = System.nanoTime();
    StepResult third = step.execute(input, cluster.context());
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(first.reason())
        .isEqualTo(
            "could not read deployment shop-staging/web: HTTP 500: etcdserver: leader changed");
    assertThat(second.reason()).contains("is unavailable (circuit open after repeated failures)");
    assertThat(third.reason())
        .startsWith("Kubernetes API server " + cluster.admin.getMasterUrl())
        .endsWith(
            "is unavailable (circuit open after repeated failures); could not read deployment shop-staging/web. Try again later.");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
    assertThat(tookMillis)
        .as("no retry backoff was waited (not a speed target)")
        .isLessThan(10_000);
  }

  @Test
  void aDeadApiServerFailsTheStepWithTheConnectionError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (KubernetesClients dead =
        KubernetesClients.fromConfig(
            new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port).build())) {
      var step = new ScaleStepType(ClusterAccess.of(dead, new ResilientCalls(MockCluster.FAST)));

      StepResult first = step.execute(with("deployment", "web", "replicas", 1), cluster.context());
      StepResult second = step.execute(with("deployment", "web", "replicas", 1), cluster.context());

      assertThat(first.reason())
          .startsWith("could not read deployment shop-staging/web: ")
          .contains("Connect");
      assertThat(second.reason()).contains("is unavailable (circuit open after repeated failures)");
    }
  }

  private RecordingStepContext impersonating(String requester) {
    EnvironmentConfig production =
        new EnvironmentConfig(
            "production",
            "{app}-staging",
            true,
            ApprovalPolicy.DEFAULT,
            null,
            false,
            true,
            Map.of());
    IntentbotConfig config =
        new IntentbotConfig(
            List.of("shop"),
            Map.of("production", production),
            Map.of(),
            Map.of(
                "U_ALICE",
                new IntentbotConfig.UserMapping("alice@example.com", List.of("sre", "shop-devs"))),
            Map.of());
    return new RecordingStepContext(config, production, "shop", Path.of("."))
        .withRequester(requester);
  }

  @Test
  void impersonationSendsTheRequestersKubernetesIdentity() throws Exception {
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(ClusterObjects.deployment("web", "web:1", 2))
        .create();
    var step = new ScaleStepType(cluster.access);

    StepResult result =
        step.execute(with("deployment", "web", "replicas", 3), impersonating("U_ALICE"));

    assertThat(result.success()).as(result.reason()).isTrue();
    var request = cluster.server.getLastRequest();
    assertThat(request.getHeader("Impersonate-User")).isEqualTo("alice@example.com");
    assertThat(request.getHeaders().headers("Impersonate-Group"))
        .containsExactly("sre", "shop-devs");
  }

  @Test
  void impersonationRefusesARequesterWithoutAMapping() throws Exception {
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(ClusterObjects.deployment("web", "web:1", 2))
        .create();
    var step = new ScaleStepType(cluster.access);

    StepResult result =
        step.execute(with("deployment", "web", "replicas", 3), impersonating("U_MALLORY"));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "environment 'production' runs cluster calls as the requester, but user 'U_MALLORY' has no Kubernetes identity in config (user_mappings)");
    assertThat(
            cluster
                .admin
                .apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName("web")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
  }
}
