package io.intentbot.kubernetes;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.deployment.RolloutHistoryStepType;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A 429 is retried after the wait the API server asks for, not after the (10 ms) backoff. */
class RetryAfterIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(ClusterObjects.deployment("web", "registry/web:1.0.0", 1))
        .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aTooManyRequestsAnswerIsRetriedAfterItsRetryAfterSeconds() throws Exception {
    cluster.api.drop("GET", "/deployments/web", 1, 429, "1");
    long started = System.nanoTime();

    StepResult result =
        new RolloutHistoryStepType(cluster.access)
            .execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }
}
