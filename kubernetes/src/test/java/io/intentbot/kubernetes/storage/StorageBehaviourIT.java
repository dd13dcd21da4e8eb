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
import java.time.Duration;
import java.util.List;
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
            with("action", "resize", "name", "data", "size", "20Gi"), context, cluster.time);
    // two minutes of the resizer's silence: reading every 3 s (the poll_interval without a
    // watch) would have been 40 GETs
    cluster.time.advance(Duration.ofMinutes(2));
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
    assertFollowedByOneWatchWithoutPolling("/persistentvolumeclaims");
  }

  /**
   * Over the whole wait, the step's requests for {@code resource}: one WATCH, and a bounded number
   * of GETs (its own read after the change, the informer's LIST; resyncs every 30 s look at the
   * watch's cache) instead of one every poll interval.
   */
  private void assertFollowedByOneWatchWithoutPolling(String resource) {
    List<String> requests =
        cluster.api.requests().stream().filter(r -> r.contains(resource)).toList();
    assertThat(requests)
        .as("followed with a watch")
        .filteredOn(r -> r.startsWith("GET ") && r.contains("watch=true"))
        .hasSize(1);
    assertThat(requests)
        .as("no GET per poll interval while waiting: %s", requests)
        .filteredOn(r -> r.startsWith("GET ") && !r.contains("watch=true"))
        .hasSizeBetween(1, 4);
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
        30,
        TimeUnit.SECONDS);
    cluster.time.schedule(
        () ->
            snapshots
                .withName("snap")
                .editStatus(ClusterObjects.withStatus(Map.of("readyToUse", true))),
        2,
        TimeUnit.MINUTES);
    RecordingStepContext context = cluster.context();

    StepResult result =
        cluster.time.run(
            new PvcStepType(cluster.access)
                .executeAsync(
                    with("action", "snapshot", "name", "data", "snapshot", "snap"),
                    context,
                    cluster.time));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(context.text()).contains("the snapshot controller retries");
    // two minutes until ready: reading every 3 s would have been 40 GETs
    assertFollowedByOneWatchWithoutPolling("/volumesnapshots");
  }
}
