package io.intentbot.kubernetes.debug;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pods view says what the scheduler and the init containers say. */
class PodsBehaviourIT {

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
  void unschedulablePodsAndWaitingInitContainersShowTheirReasonAndMessage() throws Exception {
    var pending = ClusterObjects.runningPod("web-0", "web").build();
    pending.getStatus().setPhase("Pending");
    pending
        .getStatus()
        .setConditions(
            List.of(
                new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("False")
                    .withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient memory.")
                    .build()));
    var init = ClusterObjects.runningPod("web-1", "web").build();
    init.getStatus().setPhase("Pending");
    init.getStatus()
        .setInitContainerStatuses(
            List.of(
                new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                    .withName("migrate")
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewWaiting()
                    .withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"migrate:9\"")
                    .endWaiting()
                    .endState()
                    .build()));
    cluster.admin.pods().inNamespace(NAMESPACE).resource(pending).create();
    cluster.admin.pods().inNamespace(NAMESPACE).resource(init).create();
    event("web-0", "FailedScheduling", "0/3 nodes are available: 3 Insufficient memory.", 1);
    event("web-1", "Failed", "Failed to pull image \"migrate:9\": not found", 2);
    event("web-1", "BackOff", "Back-off pulling image \"migrate:9\"", 3);
    event("web-9", "Started", "another pod's event", 4);
    var context = cluster.context();

    StepResult result =
        new PodsStepType(cluster.access).execute(with("selector", "app=web"), context);

    @SuppressWarnings("unchecked")
    var rows = (List<Map<String, Object>>) result.outputs().get("pods");
    assertThat(rows.get(0))
        .containsEntry("reasons", List.of("Unschedulable"))
        .containsEntry(
            "messages", List.of("scheduler: 0/3 nodes are available: 3 Insufficient memory."));
    assertThat(rows.get(1))
        .containsEntry("reasons", List.of("init migrate: ImagePullBackOff"))
        .containsEntry("messages", List.of("init migrate: Back-off pulling image \"migrate:9\""));
    assertThat(rows.get(0))
        .containsEntry(
            "events", List.of("FailedScheduling: 0/3 nodes are available: 3 Insufficient memory."));
    assertThat(rows.get(1))
        .containsEntry(
            "events",
            List.of(
                "Failed: Failed to pull image \"migrate:9\": not found",
                "BackOff: Back-off pulling image \"migrate:9\""));
    assertThat(context.lines()).contains("  event: BackOff: Back-off pulling image \"migrate:9\"");
  }

  private void event(String pod, String reason, String message, int minute) {
    cluster
        .admin
        .v1()
        .events()
        .inNamespace(NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.EventBuilder()
                .withNewMetadata()
                .withName(pod + "." + reason)
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(pod)
                .withNamespace(NAMESPACE)
                .endInvolvedObject()
                .withReason(reason)
                .withMessage(message)
                .withLastTimestamp("2026-12-01T12:0" + minute + ":00Z")
                .build())
        .create();
  }
}
