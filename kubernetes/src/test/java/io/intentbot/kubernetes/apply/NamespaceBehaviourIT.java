package io.intentbot.kubernetes.apply;

import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.namespace.NamespaceStepType;
import io.intentbot.kubernetes.testing.MockCluster;
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
  void aQuotaOnPodsAloneNeedsNoLimitRange() throws Exception {
    new NamespaceStepType(cluster.access)
        .execute(with("name", "shop-other", "quota", Map.of("pods", "10")), cluster.context());

    assertThat(cluster.admin.limitRanges().inNamespace("shop-other").list().getItems()).isEmpty();
  }
}
