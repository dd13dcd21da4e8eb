package io.intentbot.kubernetes.velero;

import static io.intentbot.kubernetes.testing.ClusterObjects.withStatus;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.MockCluster;
import io.intentbot.kubernetes.testing.VeleroObjects;
import io.intentbot.kubernetes.testing.VeleroServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Velero step types against a Velero server stand-in that reads what Velero 1.18 reads. */
class VeleroBehaviourIT {

  private static final String VELERO = "velero";

  private MockCluster cluster;
  private VeleroServer server;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    server = new VeleroServer(cluster.admin, VELERO, cluster.time.clock());
    server.every(cluster.time, Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private RecordingStepContext context(Map<String, Object> velero) {
    return new RecordingStepContext(
        MockCluster.config(Map.of("velero", velero)), MockCluster.staging(), "shop", Path.of("."));
  }

  private void location(GenericKubernetesResource location) {
    var locations = cluster.admin.genericKubernetesResources(VeleroObjects.STORAGE_LOCATIONS);
    locations.inNamespace(VELERO).resource(location).create();
    locations
        .inNamespace(VELERO)
        .withName(location.getMetadata().getName())
        .editStatus(withStatus(Map.of("phase", "Available")));
  }

  private GenericKubernetesResource backupNamed(String name) {
    return cluster
        .admin
        .genericKubernetesResources(VeleroObjects.BACKUPS)
        .inNamespace(VELERO)
        .withName(name)
        .get();
  }

  private StepResult run(AsyncStepType step, StepInput input, RecordingStepContext context) {
    return cluster.time.run(step.executeAsync(input, context, cluster.time));
  }

  @Test
  void aTtlInDaysOrIsoReachesVeleroInGoFormatAndTheBackupCompletes() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    var step = new VeleroBackupStepType(cluster.access);
    RecordingStepContext context = context(Map.of());

    StepResult days =
        run(step, with("name", "b-days", "ttl", "7d", "poll_interval", "50ms"), context);
    StepResult iso =
        run(step, with("name", "b-iso", "ttl", "P7D", "poll_interval", "50ms"), context);
    StepResult plain = run(step, with("name", "b-default", "poll_interval", "50ms"), context);

    assertThat(days.success()).as(days.reason()).isTrue();
    assertThat(iso.success()).as(iso.reason()).isTrue();
    assertThat(plain.success()).as(plain.reason()).isTrue();
    assertThat(backupNamed("b-days").<Object>get("spec", "ttl")).isEqualTo("168h0m0s");
    assertThat(backupNamed("b-iso").<Object>get("spec", "ttl")).isEqualTo("168h0m0s");
    assertThat(backupNamed("b-default").<Object>get("spec", "ttl")).isEqualTo("720h0m0s");
    assertThat(step.plan(with("name", "x", "ttl", "7d"), context).details())
        .containsExactly("ttl 168h0m0s (as Velero reads it)");
  }

  @Test
  void aBackupsPhasesAreFollowedWithAWatchNotAGetPerLook() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    cluster.api.resetCount();

    StepResult result =
        run(new VeleroBackupStepType(cluster.access), with("name", "b-watched"), context(Map.of()));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(cluster.api.requests())
        .filteredOn(r -> r.contains("/backups") && r.contains("watch=true"))
        .hasSize(1);
    // Velero's phases (New, InProgress, Completed) came as watch events: no GET per look
    assertThat(cluster.api.requests())
        .filteredOn(r -> r.startsWith("GET") && r.contains("/backups/b-watched"))
        .hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void fileSystemBackupAndTheDataMoverAreAskedForInTheBackupsSpec() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));

    StepResult result =
        run(
            new VeleroBackupStepType(cluster.access),
            with("name", "b-fs", "fs_backup", true, "snapshot_move_data", "true"),
            context(Map.of()));

    assertThat(result.success()).as(result.reason()).isTrue();
    var backup =
        cluster
            .admin
            .genericKubernetesResources(Velero.BACKUPS)
            .inNamespace(VELERO)
            .withName("b-fs")
            .get();
    assertThat(backup.<Object>get("spec", "defaultVolumesToFsBackup")).isEqualTo(true);
    assertThat(backup.<Object>get("spec", "snapshotMoveData")).isEqualTo(true);
  }

  @Test
  void aBackupCreateRetriedAfterItsResponseWasLostCountsAsCreated() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    cluster.api.loseResponse("POST", "/backups");

    StepResult result =
        run(
            new VeleroBackupStepType(cluster.access),
            with("name", "b-lost", "poll_interval", "50ms"),
            context(Map.of()));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("phase", "Completed");
  }

  @Test
  void aBackupGoesToTheLocationMarkedDefaultOrTheConfiguredOne() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "primary"));
    location(VeleroObjects.storageLocation(VELERO, "secondary"));
    var step = new VeleroBackupStepType(cluster.access);

    StepResult marked = run(step, with("name", "b1", "poll_interval", "50ms"), context(Map.of()));
    StepResult configured =
        run(
            step,
            with("name", "b2", "poll_interval", "50ms"),
            context(Map.of("storage_location", "secondary")));

    assertThat(marked.success()).as(marked.reason()).isTrue();
    assertThat(backupNamed("b1").<Object>get("spec", "storageLocation")).isEqualTo("primary");
    assertThat(configured.success()).as(configured.reason()).isTrue();
    assertThat(backupNamed("b2").<Object>get("spec", "storageLocation")).isEqualTo("secondary");
  }

  @Test
  void theNewestCompletedBackupIsTheOneVeleroStartedLastNotTheLastSynced() throws Exception {
    var backups =
        cluster.admin.genericKubernetesResources(VeleroObjects.BACKUPS).inNamespace(VELERO);
    // synced from the bucket today: a new creationTimestamp, started a week ago
    GenericKubernetesResource synced =
        VeleroObjects.backup(
            VELERO,
            "shop-old",
            "shop-staging",
            Map.of("intentbot.io/app", "shop"),
            "2026-12-01T09:00:00Z");
    synced.setAdditionalProperty(
        "status", Map.of("phase", "Completed", "startTimestamp", "2026-11-24T02:00:00Z"));
    GenericKubernetesResource newer =
        VeleroObjects.backup(
            VELERO,
            "shop-new",
            "shop-staging",
            Map.of("intentbot.io/app", "shop"),
            "2026-11-30T02:00:00Z");
    newer.setAdditionalProperty(
        "status", Map.of("phase", "Completed", "startTimestamp", "2026-11-30T02:00:00Z"));
    backups.resource(newer).create();
    backups.resource(synced).create(); // the sync comes later: a later creationTimestamp

    StepResult result =
        new VeleroBackupsStepType(cluster.access)
            .execute(with("selector", Map.of("intentbot.io/app", "shop")), context(Map.of()));

    assertThat(result.outputs()).containsEntry("latest_completed", "shop-new");
    @SuppressWarnings("unchecked")
    var rows = (List<Map<String, Object>>) result.outputs().get("backups");
    assertThat(rows.get(1)).containsEntry("started", "2026-11-24T02:00:00Z");
  }

  @Test
  void restoreSendsExistingResourcePolicyAndItsPlanSaysWhatHappensToExistingObjects()
      throws Exception {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    GenericKubernetesResource backup =
        VeleroObjects.backup(VELERO, "shop-1", "shop-staging", Map.of(), null);
    backup.setAdditionalProperty("status", Map.of("phase", "Completed"));
    cluster
        .admin
        .genericKubernetesResources(VeleroObjects.BACKUPS)
        .inNamespace(VELERO)
        .resource(backup)
        .create();
    var step = new VeleroRestoreStepType(cluster.access);
    RecordingStepContext context = context(Map.of());

    var plan = step.plan(with("backup", "shop-1", "name", "r1", "existing", "update"), context);
    StepResult update =
        run(
            step,
            with("backup", "shop-1", "name", "r1", "existing", "update", "poll_interval", "50ms"),
            context);
    StepResult skip =
        run(
            step,
            with("backup", "shop-1", "name", "r2", "existing", "skip", "poll_interval", "50ms"),
            context);

    assertThat(plan.details())
        .anySatisfy(
            d ->
                assertThat(d)
                    .contains("existingResourcePolicy: update")
                    .contains("volume data is not overwritten in place"));
    assertThat(update.success()).as(update.reason()).isTrue();
    assertThat(skip.success()).as(skip.reason()).isTrue();
    var restores =
        cluster.admin.genericKubernetesResources(VeleroObjects.RESTORES).inNamespace(VELERO);
    assertThat(restores.withName("r1").get().<Object>get("spec", "existingResourcePolicy"))
        .isEqualTo("update");
    assertThat(restores.withName("r2").get().<Object>get("spec", "existingResourcePolicy"))
        .isEqualTo("none");
  }
}
