package io.intentbot.kubernetes.velero;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.intentbot.kubernetes.testing.ClusterObjects.withStatus;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.intentbot.engine.step.AsyncStepType;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.MockCluster;
import io.intentbot.kubernetes.testing.VeleroObjects;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VeleroStepTypesIT {

  private static final String VELERO = "backup-system";

  private MockCluster cluster;
  private RecordingStepContext context;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    context =
        new RecordingStepContext(
            MockCluster.config(Map.of("velero", Map.of("namespace", VELERO))),
            MockCluster.staging(),
            "shop",
            Path.of("."));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private io.fabric8.kubernetes.client.dsl.MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      velero(ResourceDefinitionContext kind) {
    return cluster.admin.genericKubernetesResources(kind);
  }

  private void location(String name, String phase, String message) {
    velero(Velero.STORAGE_LOCATIONS)
        .inNamespace(VELERO)
        .resource(VeleroObjects.storageLocation(VELERO, name))
        .create();
    velero(Velero.STORAGE_LOCATIONS)
        .inNamespace(VELERO)
        .withName(name)
        .editStatus(
            withStatus(
                message == null
                    ? Map.of("phase", phase)
                    : Map.of("phase", phase, "message", message)));
  }

  /** Plays the Velero server: moves every new object of a kind through the given statuses. */
  @SafeVarargs
  private void play(ResourceDefinitionContext kind, Map<String, Object>... statuses) {
    java.util.Map<String, Integer> step = new java.util.concurrent.ConcurrentHashMap<>();
    cluster.time.scheduleWithFixedDelay(
        () -> {
          for (GenericKubernetesResource item :
              velero(kind).inNamespace(VELERO).list().getItems()) {
            String name = item.getMetadata().getName();
            int next = step.getOrDefault(name, 0);
            if (next < statuses.length) {
              Map<String, Object> status = statuses[next];
              velero(kind).inNamespace(VELERO).withName(name).editStatus(withStatus(status));
              step.put(name, next + 1);
            }
          }
        },
        10,
        30,
        TimeUnit.MILLISECONDS);
  }

  /** Runs a waiting step on the cluster's virtual time, with the Velero server played on it. */
  private StepResult run(AsyncStepType step, StepInput input) {
    return cluster.time.run(step.executeAsync(input, context, cluster.time));
  }

  @Test
  void backupChecksTheLocationThenFollowsThePhaseToCompleted() throws Exception {
    location("default", "Available", null);
    play(
        Velero.BACKUPS,
        Map.of("phase", "InProgress", "progress", Map.of("totalItems", 10, "itemsBackedUp", 4)),
        Map.of(
            "phase",
            "Completed",
            "progress",
            Map.of("totalItems", 10, "itemsBackedUp", 10),
            "warnings",
            1));
    var step = new VeleroBackupStepType(cluster.access);
    var input =
        with(
            "name",
            "shop-pre",
            "timeout",
            "5s",
            "poll_interval",
            "20ms",
            "labels",
            Map.of("reason", "test"));

    var plan = step.plan(input, context);
    assertThat(plan.summary())
        .isEqualTo(
            "Create Velero backup shop-pre of namespaces [shop-staging] in storage location default");
    assertThat(velero(Velero.BACKUPS).inNamespace(VELERO).list().getItems()).isEmpty();

    StepResult result = run(step, input);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("name", "shop-pre")
        .containsEntry("phase", "Completed")
        .containsEntry("items_backed_up", 10L)
        .containsEntry("total_items", 10L)
        .containsEntry("warnings", 1L)
        .containsEntry("errors", 0L);
    assertThat(context.lines())
        .contains(
            "backup shop-pre: InProgress (4/10 items)", "backup shop-pre: Completed (10/10 items)");
    var backup = velero(Velero.BACKUPS).inNamespace(VELERO).withName("shop-pre").get();
    assertThat(backup.<Object>get("spec", "includedNamespaces")).isEqualTo(List.of("shop-staging"));
    assertThat(backup.<Object>get("spec", "storageLocation")).isEqualTo("default");
    assertThat(backup.getMetadata().getLabels())
        .containsEntry("reason", "test")
        .containsEntry("intentbot.io/app", "shop")
        .containsEntry("intentbot.io/environment", "staging")
        .containsEntry("intentbot.io/run", "r-test");
  }

  @Test
  void backupFailsWithVelerosReasonOnPartiallyFailed() throws Exception {
    location("default", "Available", null);
    play(
        Velero.BACKUPS,
        Map.of(
            "phase",
            "PartiallyFailed",
            "errors",
            2,
            "warnings",
            0,
            "progress",
            Map.of("totalItems", 10, "itemsBackedUp", 8)));
    var step = new VeleroBackupStepType(cluster.access);

    StepResult result =
        run(
            step,
            with(
                "selector",
                Map.of("app", "shop"),
                "name",
                "b1",
                "poll_interval",
                "20ms",
                "timeout",
                "5s"));

    assertThat(result.failed()).isTrue();
    // the test's Velero answers no DownloadRequest: the failure says the results were not read
    assertThat(result.reason())
        .isEqualTo(
            "Backup b1 ended PartiallyFailed: 2 errors, 0 warnings; its results could not be read:"
                + " the storage location did not serve the backup results within 30s (try velero"
                + " backup logs b1)");
    assertThat(result.outputs()).containsEntry("errors", 2L).containsEntry("items_backed_up", 8L);
    var backup = velero(Velero.BACKUPS).inNamespace(VELERO).withName("b1").get();
    assertThat(backup.<Object>get("spec", "labelSelector", "matchLabels"))
        .isEqualTo(Map.of("app", "shop"));
    assertThat(backup.<Object>get("spec", "includedNamespaces")).isEqualTo(List.of("*"));
  }

  @Test
  void backupFailsOnFailedValidationWithTheValidationErrors() throws Exception {
    location("default", "Available", null);
    play(
        Velero.BACKUPS,
        Map.of("phase", "FailedValidation", "validationErrors", List.of("invalid ttl")));
    var step = new VeleroBackupStepType(cluster.access);

    StepResult result = run(step, with("name", "b2", "poll_interval", "20ms", "ttl", "720h"));
    // a TTL that is no duration at all is refused before a Backup is created (issue 14)
    StepResult refused = run(step, with("name", "b3", "poll_interval", "20ms", "ttl", "forever"));

    assertThat(result.reason())
        .isEqualTo(
            "Backup b2 ended FailedValidation: validation errors: invalid ttl; 0 errors, 0 warnings");
    assertThat(refused.reason()).isEqualTo("ttl 'forever' is not a duration (e.g. 720h, 7d, P7D)");
    assertThat(velero(Velero.BACKUPS).inNamespace(VELERO).withName("b3").get()).isNull();
  }

  @Test
  void backupRefusesToStartWhenTheStorageLocationIsUnavailable() throws Exception {
    location("default", "Unavailable", "bucket not found");
    var step = new VeleroBackupStepType(cluster.access);

    var plan = step.plan(with("name", "b3"), context);
    StepResult result = step.execute(with("name", "b3"), context);

    assertThat(plan.summary())
        .contains(
            "would fail: Velero backup storage location 'default' is Unavailable: bucket not found");
    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "Velero backup storage location 'default' is Unavailable: bucket not found; nothing was started");
    assertThat(velero(Velero.BACKUPS).inNamespace(VELERO).list().getItems()).isEmpty();
  }

  private void backup(String name, String created, String phase, Map<String, String> labels) {
    // Created with its status in one write: a later status edit could give the object the mock's
    // own creationTimestamp (seen once: the newest-first order came out wrong).
    GenericKubernetesResource backup =
        VeleroObjects.backup(VELERO, name, "shop-production", labels, created);
    // The mock gives every object its own creationTimestamp (the second it was created); the
    // time the backup was taken is Velero's status.startTimestamp, which the listing orders by.
    backup.setAdditionalProperty("status", Map.of("phase", phase, "startTimestamp", created));
    velero(Velero.BACKUPS).inNamespace(VELERO).resource(backup).create();
  }

  @Test
  void backupsListsNewestFirstAndFiltersByLabels() throws Exception {
    backup("shop-1", "2026-11-20T10:00:00Z", "Completed", Map.of("intentbot.io/app", "shop"));
    backup("shop-3", "2026-11-22T10:00:00Z", "Failed", Map.of("intentbot.io/app", "shop"));
    backup("shop-2", "2026-11-21T10:00:00Z", "Completed", Map.of("intentbot.io/app", "shop"));
    backup("blog-1", "2026-11-23T10:00:00Z", "Completed", Map.of("intentbot.io/app", "blog"));
    var step = new VeleroBackupsStepType(cluster.access);

    StepResult result = step.execute(with("selector", Map.of("intentbot.io/app", "shop")), context);

    @SuppressWarnings("unchecked")
    var rows = (List<Map<String, Object>>) result.outputs().get("backups");
    assertThat(rows).extracting(r -> r.get("name")).containsExactly("shop-3", "shop-2", "shop-1");
    assertThat(rows.get(0))
        .containsEntry("phase", "Failed")
        .containsEntry("namespaces", List.of("shop-production"));
    assertThat(rows.get(0).get("age")).asString().isNotEmpty();
    assertThat(result.outputs())
        .containsEntry("count", 3)
        .containsEntry("latest_completed", "shop-2");
  }

  @Test
  void describeReadsTheResourceListThroughADownloadRequestAndDeletesIt() throws Exception {
    location("default", "Available", null);
    backup("shop-1", "2026-11-20T10:00:00Z", "Completed", Map.of());
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(list)) {
      gzip.write(
          "{\"v1/ConfigMap\":[\"shop-production/a\",\"shop-production/b\"],\"apps/v1/Deployment\":[\"shop-production/web\"]}"
              .getBytes(StandardCharsets.UTF_8));
    }
    WireMockServer storage = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    storage.start();
    storage.stubFor(
        get(urlEqualTo("/list"))
            .willReturn(aResponse().withStatus(200).withBody(list.toByteArray())));
    try {
      String url = "http://127.0.0.1:" + storage.port() + "/list";
      play(Velero.DOWNLOAD_REQUESTS, Map.of("phase", "Processed", "downloadURL", url));
      var step = new VeleroDescribeStepType(cluster.access);

      StepResult result =
          run(step, with("backup", "shop-1", "poll_interval", "20ms", "timeout", "5s"));

      assertThat(result.success()).as(result.reason()).isTrue();
      assertThat(result.outputs())
          .containsEntry("available", true)
          .containsEntry("resource_count", 3)
          .containsEntry(
              "resources",
              Map.of(
                  "apps/v1/Deployment",
                  List.of("shop-production/web"),
                  "v1/ConfigMap",
                  List.of("shop-production/a", "shop-production/b")));
      assertThat(velero(Velero.DOWNLOAD_REQUESTS).inNamespace(VELERO).list().getItems()).isEmpty();
    } finally {
      storage.stop();
    }
  }

  @Test
  void describeSaysSoWhenTheLocationDoesNotServeTheList() throws Exception {
    location("default", "Available", null);
    backup("shop-1", "2026-11-20T10:00:00Z", "Completed", Map.of());
    var step = new VeleroDescribeStepType(cluster.access);

    StepResult result =
        run(step, with("backup", "shop-1", "poll_interval", "20ms", "timeout", "200ms"));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("available", false)
        .containsEntry("phase", "Completed")
        .containsEntry(
            "message", "the storage location did not serve the resource list within 200ms");
    assertThat(velero(Velero.DOWNLOAD_REQUESTS).inNamespace(VELERO).list().getItems()).isEmpty();
  }

  @Test
  void restoreMapsNamespacesAndFollowsTheRestore() throws Exception {
    location("default", "Available", null);
    backup("shop-1", "2026-11-20T10:00:00Z", "Completed", Map.of());
    play(
        Velero.RESTORES,
        Map.of("phase", "InProgress"),
        Map.of("phase", "Completed", "progress", Map.of("totalItems", 3, "itemsRestored", 3)));
    var step = new VeleroRestoreStepType(cluster.access);
    var input =
        with(
            "backup",
            "shop-1",
            "name",
            "r1",
            "namespace_mapping",
            Map.of("shop-production", "shop-check"),
            "poll_interval",
            "20ms",
            "timeout",
            "5s");

    var plan = step.plan(input, context);
    assertThat(plan.summary()).isEqualTo("Restore Velero backup shop-1 as restore r1");
    assertThat(plan.details())
        .containsExactly(
            "namespace shop-production restored as shop-check",
            "objects that already exist are updated to the backup's version"
                + " (existingResourcePolicy: update); volume data is not overwritten in place: an"
                + " existing PersistentVolumeClaim keeps its data");
    assertThat(velero(Velero.RESTORES).inNamespace(VELERO).list().getItems()).isEmpty();

    StepResult result = run(step, input);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("phase", "Completed")
        .containsEntry("items_restored", 3L);
    var restore = velero(Velero.RESTORES).inNamespace(VELERO).withName("r1").get();
    assertThat(restore.<Object>get("spec", "backupName")).isEqualTo("shop-1");
    assertThat(restore.<Object>get("spec", "namespaceMapping"))
        .isEqualTo(Map.of("shop-production", "shop-check"));
  }

  @Test
  void restoreRefusesABackupThatDidNotComplete() throws Exception {
    location("default", "Available", null);
    backup("shop-3", "2026-11-22T10:00:00Z", "Failed", Map.of());
    var step = new VeleroRestoreStepType(cluster.access);

    StepResult missing = step.execute(with("backup", "nope"), context);
    StepResult failed = step.execute(with("backup", "shop-3"), context);

    assertThat(missing.reason()).isEqualTo("Velero backup backup-system/nope does not exist");
    assertThat(failed.reason()).isEqualTo("Velero backup shop-3 is Failed, not Completed");
    assertThat(velero(Velero.RESTORES).inNamespace(VELERO).list().getItems()).isEmpty();
  }

  @Test
  void describeDoesNotFetchAUrlThatExpiredBeforeItWasRead() throws Exception {
    // Velero deletes an expired request only on its once-a-minute pass: until then it is there,
    // Processed, with an expiration in the past
    location("default", "Available", null);
    backup("shop-1", "2026-11-20T10:00:00Z", "Completed", Map.of());
    play(
        Velero.DOWNLOAD_REQUESTS,
        Map.of(
            "phase",
            "Processed",
            "downloadURL",
            "https://127.0.0.1:1/never-fetched",
            "expiration",
            cluster.time.now().minusSeconds(1).toString()));

    StepResult result =
        run(
            new VeleroDescribeStepType(cluster.access),
            with("backup", "shop-1", "poll_interval", "20ms", "timeout", "5s"));

    assertThat(result.outputs()).containsEntry("available", false);
    assertThat(String.valueOf(result.outputs().get("message")))
        .startsWith("the download URL for the resource list expired at ")
        .endsWith("before it was read; run the step again");
    assertThat(velero(Velero.DOWNLOAD_REQUESTS).inNamespace(VELERO).list().getItems()).isEmpty();
  }
}
