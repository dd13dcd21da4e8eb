package io.intentbot.kubernetes.velero;

import static io.intentbot.kubernetes.testing.ClusterObjects.withStatus;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import io.intentbot.kubernetes.testing.ObjectStorage;
import io.intentbot.kubernetes.testing.VeleroObjects;
import io.intentbot.kubernetes.testing.VeleroServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Velero step types against a Velero server stand-in that reads what Velero 1.18 reads. */
class VeleroBehaviourIT {

  private static final String VELERO = "velero";

  private MockCluster cluster;
  private ObjectStorage storage;
  private VeleroServer server;
  private ScheduledFuture<?> reconciling;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    storage = new ObjectStorage(cluster.time.clock());
    server = new VeleroServer(cluster.admin, VELERO, cluster.time.clock()).withStorage(storage);
    reconciling = server.every(cluster.time, Duration.ofMillis(50));
  }

  @AfterEach
  void stop() {
    storage.close();
    cluster.close();
  }

  /** A pod of app {@code app} whose only container is {@code container}. */
  private void pod(String name, String app, String container) {
    var pod = ClusterObjects.runningPod(name, app).build();
    pod.getSpec().getContainers().get(0).setName(container);
    cluster.admin.pods().inNamespace(MockCluster.NAMESPACE).resource(pod).create();
  }

  /** A storage location whose object storage speaks TLS with the test CA, given as caCert. */
  private GenericKubernetesResource locationWithCa(String name) {
    GenericKubernetesResource location = VeleroObjects.defaultStorageLocation(VELERO, name);
    location.setAdditionalProperty(
        "spec",
        Map.of(
            "provider",
            "aws",
            "default",
            true,
            "objectStorage",
            Map.of(
                "bucket",
                "backups",
                "caCert",
                Base64.getEncoder()
                    .encodeToString(ObjectStorage.caPem().getBytes(StandardCharsets.US_ASCII)))));
    return location;
  }

  private List<GenericKubernetesResource> downloadRequests() {
    return cluster
        .admin
        .genericKubernetesResources(VeleroObjects.DOWNLOAD_REQUESTS)
        .inNamespace(VELERO)
        .list()
        .getItems();
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
  void restoreSendsExistingResourcePolicyUpdateByDefaultAndItsPlanSaysWhatHappensToExistingObjects()
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
    // without existing, as restore-app's default: update, not Velero's none
    var defaultPlan = step.plan(with("backup", "shop-1", "name", "r3"), context);
    StepResult byDefault =
        run(step, with("backup", "shop-1", "name", "r3", "poll_interval", "50ms"), context);

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
    assertThat(byDefault.success()).as(byDefault.reason()).isTrue();
    assertThat(restores.withName("r3").get().<Object>get("spec", "existingResourcePolicy"))
        .isEqualTo("update");
    assertThat(defaultPlan.details()).anyMatch(d -> d.contains("existingResourcePolicy: update"));
  }

  @Test
  void hooksReachVeleroAsSpecHooksAndRunInTheSelectedPodsPreThenPost() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    pod("db-0", "db", "postgres");
    pod("web-0", "web", "web");
    var step = new VeleroBackupStepType(cluster.access);
    var input =
        with(
            "name",
            "b-hooks",
            "poll_interval",
            "50ms",
            "hooks",
            List.of(
                Map.of(
                    "name",
                    "freeze",
                    "selector",
                    Map.of("app", "db"),
                    "pre",
                    List.of(
                        Map.of(
                            "container",
                            "postgres",
                            "command",
                            List.of("/sbin/fsfreeze", "--freeze", "/data"),
                            "on_error",
                            "fail",
                            "timeout",
                            "2m")),
                    "post",
                    List.of(
                        Map.of(
                            "container",
                            "postgres",
                            "command",
                            List.of("/sbin/fsfreeze", "--unfreeze", "/data"))))));

    var plan = step.plan(input, context(Map.of()));
    StepResult result = run(step, input, context(Map.of()));

    assertThat(plan.details())
        .contains(
            "hook freeze, in pods labelled {app=db}: pre hook: /sbin/fsfreeze --freeze /data in"
                + " container postgres (on error Fail, timeout 2m)");
    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(backupNamed("b-hooks").<Object>get("spec", "hooks"))
        .isEqualTo(
            Map.of(
                "resources",
                List.of(
                    Map.of(
                        "name",
                        "freeze",
                        "includedResources",
                        List.of("pods"),
                        "labelSelector",
                        Map.of("matchLabels", Map.of("app", "db")),
                        "pre",
                        List.of(
                            Map.of(
                                "exec",
                                Map.of(
                                    "container",
                                    "postgres",
                                    "command",
                                    List.of("/sbin/fsfreeze", "--freeze", "/data"),
                                    "onError",
                                    "Fail",
                                    "timeout",
                                    "2m0s"))),
                        "post",
                        List.of(
                            Map.of(
                                "exec",
                                Map.of(
                                    "container",
                                    "postgres",
                                    "command",
                                    List.of("/sbin/fsfreeze", "--unfreeze", "/data"))))))));
    assertThat(server.hooksRun())
        .containsExactly(
            "pre freeze shop-staging/db-0 postgres: /sbin/fsfreeze --freeze /data",
            "post freeze shop-staging/db-0 postgres: /sbin/fsfreeze --unfreeze /data");
  }

  @Test
  void aHookWithoutACommandOrWithAnUnknownOnErrorIsRefusedBeforeABackupIsCreated() {
    location(VeleroObjects.defaultStorageLocation(VELERO, "default"));
    var step = new VeleroBackupStepType(cluster.access);

    StepResult noCommand =
        run(
            step,
            with(
                "name", "b-x", "hooks", List.of(Map.of("pre", List.of(Map.of("container", "db"))))),
            context(Map.of()));
    StepResult badMode =
        run(
            step,
            with(
                "name",
                "b-y",
                "hooks",
                List.of(
                    Map.of(
                        "pre", List.of(Map.of("command", List.of("sync"), "on_error", "ignore"))))),
            context(Map.of()));

    assertThat(noCommand.failed()).isTrue();
    assertThat(noCommand.reason()).contains("a hook's command is required");
    assertThat(badMode.reason()).contains("on_error must be Continue or Fail, not 'ignore'");
    assertThat(backupNamed("b-x")).isNull();
    assertThat(backupNamed("b-y")).isNull();
  }

  @Test
  void aPartiallyFailedBackupIsExplainedFromVelerosResultsAndLogAndItsDownloadRequestsDeleted() {
    location(locationWithCa("default"));
    pod("db-0", "db", "postgres");
    RecordingStepContext context = context(Map.of());

    StepResult result =
        run(
            new VeleroBackupStepType(cluster.access),
            with(
                "name",
                "b-hook-fails",
                "poll_interval",
                "50ms",
                "hooks",
                List.of(
                    Map.of(
                        "name",
                        "dump",
                        "pre",
                        List.of(Map.of("container", "db", "command", List.of("pg_dump")))))),
            context);

    String error = "shop-staging: pods db-0: Error executing hook: no such container: \"db\"";
    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "Backup b-hook-fails ended PartiallyFailed: 1 errors, 0 warnings; first errors: "
                + error);
    assertThat(result.outputs())
        .containsEntry("errors", 1L)
        .containsEntry("error_messages", List.of(error))
        .containsEntry(
            "log_lines",
            List.of("error: Error executing hook: no such container: \"db\" (shop-staging/db-0)"));
    assertThat(context.lines()).contains("1 errors, 0 warnings", "errors:", "  " + error);
    assertThat(storage.requests())
        .containsExactly(
            "GET /bucket/backups/b-hook-fails/b-hook-fails-results.gz",
            "GET /bucket/backups/b-hook-fails/b-hook-fails-logs.gz");
    assertThat(downloadRequests()).isEmpty();
  }

  @Test
  void describeTrustsTheStorageLocationsCaCertAndSaysWhatToSetWithoutIt() {
    location(locationWithCa("secure"));
    location(VeleroObjects.storageLocation(VELERO, "plain"));
    pod("web-0", "web", "web");
    var backup = new VeleroBackupStepType(cluster.access);
    var describe = new VeleroDescribeStepType(cluster.access);
    RecordingStepContext context = context(Map.of());
    run(backup, with("name", "b-secure", "storage_location", "secure"), context);
    run(backup, with("name", "b-plain", "storage_location", "plain"), context);

    StepResult trusted = run(describe, with("backup", "b-secure"), context);
    StepResult untrusted = run(describe, with("backup", "b-plain"), context);

    assertThat(trusted.success()).as(trusted.reason()).isTrue();
    assertThat(trusted.outputs())
        .containsEntry("available", true)
        .containsEntry("resources", Map.of("v1/Pod", List.of("shop-staging/web-0")));
    assertThat(untrusted.success()).isTrue();
    assertThat(untrusted.outputs()).containsEntry("available", false);
    assertThat(String.valueOf(untrusted.outputs().get("message")))
        .startsWith(
            "could not download the resource list: the storage location's TLS certificate"
                + " is not trusted")
        .endsWith(
            "give its CA in the BackupStorageLocation's spec.objectStorage.caCertRef or caCert");
    assertThat(downloadRequests()).isEmpty();
  }

  @Test
  void aDownloadRequestVeleroDeletedAfterItExpiredIsSaidSoNotWaitedFor() {
    // Velero looks for expired requests once a minute; here the server passes once a minute
    reconciling.cancel(false);
    server.every(cluster.time, Duration.ofMinutes(1));
    location(locationWithCa("default"));
    GenericKubernetesResource backup =
        VeleroObjects.backup(VELERO, "b-old", "shop-staging", Map.of(), null);
    backup.setAdditionalProperty("status", Map.of("phase", "Completed"));
    cluster
        .admin
        .genericKubernetesResources(VeleroObjects.BACKUPS)
        .inNamespace(VELERO)
        .resource(backup)
        .create();

    StepResult result =
        run(
            new VeleroDescribeStepType(cluster.access),
            with("backup", "b-old", "timeout", "1h", "poll_interval", "15m"),
            context(Map.of()));

    assertThat(result.outputs()).containsEntry("available", false);
    assertThat(String.valueOf(result.outputs().get("message")))
        .contains("is gone before its URL was read: Velero deletes a request once it expired");
    assertThat(storage.requests()).isEmpty();
  }

  @Test
  void aRestoreThatLeftExistingObjectsIsCompletedWithVelerosWarningsListed() {
    location(locationWithCa("default"));
    pod("web-0", "web", "web");
    RecordingStepContext context = context(Map.of());
    run(new VeleroBackupStepType(cluster.access), with("name", "b-web"), context);
    var restore = new VeleroRestoreStepType(cluster.access);

    StepResult skipped =
        run(restore, with("backup", "b-web", "name", "r-skip", "existing", "skip"), context);
    StepResult updated =
        run(restore, with("backup", "b-web", "name", "r-update", "existing", "update"), context);

    String warning =
        "shop-staging: could not restore, Pod \"web-0\" already exists. Warning: the in-cluster"
            + " version is different than the backed-up version";
    assertThat(skipped.success()).as(skipped.reason()).isTrue();
    assertThat(skipped.outputs())
        .as("%s", context.lines())
        .containsEntry("warnings", 1L)
        .containsEntry("warning_messages", List.of(warning));
    assertThat(context.lines()).contains("0 errors, 1 warnings", "  " + warning);
    assertThat(updated.outputs())
        .containsEntry("warnings", 0L)
        .containsEntry("warning_messages", List.of());
    assertThat(downloadRequests()).isEmpty();
  }

  @Test
  void aCaInASecretIsPreferredAsVeleroPrefersCaCertRefAndAMissingSecretIsSaid() {
    String pem = ObjectStorage.caPem();
    cluster
        .admin
        .secrets()
        .inNamespace(VELERO)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("storage-ca")
                .endMetadata()
                .addToData(
                    "ca.crt",
                    Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .build())
        .create();
    for (String[] location :
        List.of(new String[] {"by-ref", "storage-ca"}, new String[] {"gone-ref", "missing-ca"})) {
      GenericKubernetesResource bsl = VeleroObjects.storageLocation(VELERO, location[0]);
      bsl.setAdditionalProperty(
          "spec",
          Map.of(
              "provider",
              "aws",
              "objectStorage",
              Map.of(
                  "bucket",
                  "backups",
                  // the inline caCert is not the one that signs: caCertRef wins, as in Velero
                  "caCert",
                  Base64.getEncoder().encodeToString("not a certificate".getBytes()),
                  "caCertRef",
                  Map.of("name", location[1], "key", "ca.crt"))));
      location(bsl);
    }
    pod("web-0", "web", "web");
    var backup = new VeleroBackupStepType(cluster.access);
    var describe = new VeleroDescribeStepType(cluster.access);
    RecordingStepContext context = context(Map.of());
    run(backup, with("name", "b-ref", "storage_location", "by-ref"), context);
    run(backup, with("name", "b-gone", "storage_location", "gone-ref"), context);

    StepResult trusted = run(describe, with("backup", "b-ref"), context);
    StepResult missing = run(describe, with("backup", "b-gone"), context);

    assertThat(trusted.outputs()).as("%s", context.lines()).containsEntry("available", true);
    assertThat(missing.outputs()).containsEntry("available", false);
    assertThat(context.lines())
        .contains(
            "warning: key ca.crt of Secret velero/missing-ca (caCertRef of gone-ref) does not"
                + " exist; downloading with the system's CAs only");
    assertThat(downloadRequests()).isEmpty();
  }
}
