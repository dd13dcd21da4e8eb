package io.intentbot.kubernetes.storage;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PVC resize and snapshots as the resizer, the kubelet and the snapshot controller report them. */
class StorageBehaviourIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    cluster
        .admin
        .storage()
        .v1()
        .storageClasses()
        .resource(ClusterObjects.storageClass("fast", "csi.example", true))
        .create();
    cluster
        .admin
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("fast")
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("10Gi"))
                .endResources()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .addToCapacity("storage", new Quantity("10Gi"))
                .endStatus()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aResizeWaitsForTheVolumeAndSaysWhenOnlyTheFileSystemWaitsForAPod() {
    var step = new PvcStepType(cluster.access);
    RecordingStepContext context = cluster.context();
    var running =
        step.executeAsync(
            with("action", "resize", "name", "data", "size", "20Gi", "poll_interval", "20ms"),
            context,
            cluster.time);
    cluster.time.advance(java.time.Duration.ofMillis(200));
    assertThat(running).as("the capacity is still 10Gi").isNotDone();
    // the resizer grew the volume; the kubelet grows the file system when a pod mounts it
    cluster
        .admin
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .withName("data")
        .editStatus(
            c -> {
              c.setStatus(
                  new PersistentVolumeClaimStatusBuilder(c.getStatus())
                      .addNewCondition()
                      .withType("FileSystemResizePending")
                      .withStatus("True")
                      .withMessage(
                          "Waiting for user to (re-)start a pod to finish file system resize of"
                              + " volume on node.")
                      .endCondition()
                      .build());
              return c;
            });

    StepResult result = cluster.time.run(running);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("resize_pending", true);
    assertThat(context.text()).contains("FileSystemResizePending");
    assertThat(cluster.api.requests())
        .as("the resize is followed with a watch")
        .anyMatch(r -> r.contains("/persistentvolumeclaims?") && r.contains("watch=true"));
  }

  @Test
  void aSnapshotErrorTheControllerRetriesIsWaitedOut() {
    var snapshots =
        cluster
            .admin
            .genericKubernetesResources(PvcStepType.VOLUME_SNAPSHOTS)
            .inNamespace(NAMESPACE);
    cluster.time.schedule(
        () ->
            snapshots
                .withName("snap")
                .editStatus(
                    ClusterObjects.withStatus(
                        Map.of(
                            "readyToUse",
                            false,
                            "error",
                            Map.of(
                                "message",
                                "Failed to check and update snapshot content: timeout")))),
        50,
        TimeUnit.MILLISECONDS);
    cluster.time.schedule(
        () ->
            snapshots
                .withName("snap")
                .editStatus(ClusterObjects.withStatus(Map.of("readyToUse", true))),
        300,
        TimeUnit.MILLISECONDS);
    RecordingStepContext context = cluster.context();

    StepResult result =
        cluster.time.run(
            new PvcStepType(cluster.access)
                .executeAsync(
                    with(
                        "action",
                        "snapshot",
                        "name",
                        "data",
                        "snapshot",
                        "snap",
                        "poll_interval",
                        "20ms"),
                    context,
                    cluster.time));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(context.text()).contains("the snapshot controller retries");
    assertThat(cluster.api.requests())
        .as("the snapshot is followed with a watch")
        .anyMatch(r -> r.contains("/volumesnapshots?") && r.contains("watch=true"));
  }
}
