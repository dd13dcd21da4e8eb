package io.intentbot.kubernetes.apply;

import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.deployment.RolloutStatusStepType;
import io.intentbot.kubernetes.namespace.NamespaceStepType;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.DeploymentController;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A CPU or memory quota comes with default requests, or pods without them are refused. */
class NamespaceBehaviourIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aComputeQuotaWithoutLimitsGetsADefaultLimitRange() throws Exception {
    StepResult result =
        new NamespaceStepType(cluster.access)
            .execute(
                with(
                    "name",
                    "shop-preview",
                    "quota",
                    Map.of("requests.cpu", "4", "limits.memory", "8Gi")),
                cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    var limits =
        cluster.admin.limitRanges().inNamespace("shop-preview").withName("intentbot-limits").get();
    assertThat(limits).as("without it every pod that asks for no cpu is rejected").isNotNull();
    assertThat(limits.getSpec().getLimits().get(0).getDefaultRequest())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("128Mi"));
  }

  @Test
  void aDeploymentWithoutRequestsRollsOutInANamespaceMadeWithAComputeQuota() throws Exception {
    StepResult made =
        new NamespaceStepType(cluster.access)
            .execute(
                with(
                    "name",
                    "shop-preview",
                    "quota",
                    Map.of("requests.cpu", "4", "limits.memory", "8Gi")),
                cluster.context());
    assertThat(made.success()).as(made.reason()).isTrue();
    new DeploymentController(cluster.admin, cluster.time.clock())
        .watch("shop-preview")
        .every(cluster.time, Duration.ofSeconds(1));
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace("shop-preview")
        .resource(
            ClusterObjects.deployment(
                "shop-preview", "web", 2, ClusterObjects.appAndProxy("web", "registry/web:1.0.0")))
        .create();

    StepResult rollout =
        cluster.time.run(
            new RolloutStatusStepType(cluster.access)
                .executeAsync(
                    with("namespace", "shop-preview", "deployment", "web"),
                    cluster.context(),
                    cluster.time));

    assertThat(rollout.success()).as(rollout.reason()).isTrue();
    Pod pod = cluster.admin.pods().inNamespace("shop-preview").withName("web-r1-0").get();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"));
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
        .containsEntry("memory", new Quantity("512Mi"));
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(
            "kubernetes.io/limit-ranger",
            "LimitRanger plugin set: cpu, memory request for container web;"
                + " cpu, memory limit for container web;"
                + " cpu, memory request for container proxy; cpu, memory limit for container proxy");
  }

  @Test
  void aQuotaOnPodsAloneNeedsNoLimitRange() throws Exception {
    new NamespaceStepType(cluster.access)
        .execute(with("name", "shop-other", "quota", Map.of("pods", "10")), cluster.context());

    assertThat(cluster.admin.limitRanges().inNamespace("shop-other").list().getItems()).isEmpty();
  }
}
