package io.intentbot.kubernetes.debug;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.Kubelet;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubernetes.logs picks the newest ready pod and can read the previous container's log. */
class LogsBehaviourIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    pod("web-a", "2026-12-01T10:00:00Z", true);
    pod("web-b", "2026-12-01T11:00:00Z", true);
    pod("web-0", "2026-12-01T12:00:00Z", false);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void pod(String name, String started, boolean ready) {
    var pod = ClusterObjects.runningPod(name, "web").build();
    pod.getStatus().setStartTime(started);
    pod.getStatus()
        .setConditions(
            List.of(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build()));
    cluster.admin.pods().inNamespace(NAMESPACE).resource(pod).create();
  }

  @Test
  void theNewestReadyPodOfTheSelectorIsReadNotTheFirstByName() throws Exception {
    Kubelet.expectLogs(
        cluster.server, NAMESPACE, "web-b", "pretty=false&container=web&tailLines=100", "new\n");

    StepResult result =
        new LogsStepType(cluster.access)
            .execute(with("selector", "app=web", "container", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("pod", "web-b").containsEntry("logs", "new\n");
  }

  @Test
  void previousReadsTheContainerThatRanBefore() throws Exception {
    Kubelet.expectLogs(
        cluster.server,
        NAMESPACE,
        "web-a",
        "pretty=false&container=web&previous=true&tailLines=100",
        "panic: boom\n");

    StepResult result =
        new LogsStepType(cluster.access)
            .execute(with("pod", "web-a", "container", "web", "previous", true), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("logs", "panic: boom\n");
  }
}
