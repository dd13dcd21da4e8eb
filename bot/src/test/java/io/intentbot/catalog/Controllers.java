package io.intentbot.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.intentbot.kubernetes.testing.ClusterObjects.container;
import static io.intentbot.kubernetes.testing.ClusterObjects.withStatus;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.DeploymentController;
import io.intentbot.kubernetes.testing.DeploymentController.Behaviour;
import io.intentbot.kubernetes.testing.VeleroObjects;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the controllers the mock API server lacks: the Deployment controller, ReplicaSets' pods and
 * the kubelet ({@link DeploymentController}, shared with the kubernetes module's tests: revisions,
 * pods with container states, events, conditions, observedGeneration late) and the Velero server
 * (Backups and Restores move to a phase the test chooses, DownloadRequests get a URL to a resource
 * list served over HTTP).
 */
final class Controllers implements AutoCloseable {

  static final String REVISION = ClusterObjects.REVISION;
  static final String VELERO = "velero";
  static final ResourceDefinitionContext BACKUPS = VeleroObjects.BACKUPS;
  static final ResourceDefinitionContext RESTORES = VeleroObjects.RESTORES;
  static final ResourceDefinitionContext LOCATIONS = VeleroObjects.STORAGE_LOCATIONS;
  static final ResourceDefinitionContext DOWNLOADS = VeleroObjects.DOWNLOAD_REQUESTS;

  private final KubernetesClient admin;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final DeploymentController deployments;
  private final Set<String> snapshotNamespaces = ConcurrentHashMap.newKeySet();

  /** Backups the test made with a phase of its own, which the Velero stand-in leaves alone. */
  private final Set<String> presetBackups = ConcurrentHashMap.newKeySet();

  static final ResourceDefinitionContext SNAPSHOTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshot")
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();
  volatile String backupPhase = "Completed";
  private WireMockServer files;

  Controllers(KubernetesClient admin) {
    this.admin = admin;
    this.deployments = new DeploymentController(admin, java.time.Clock.systemUTC());
    loop.scheduleWithFixedDelay(this::tick, 10, 15, TimeUnit.MILLISECONDS);
  }

  /** A Deployment as {@link #deployment} makes it, once this class's controller marked it ready. */
  /**
   * What a person does with {@code kubectl set image}: the Deployment controller writes the status
   * meanwhile, so a write from a stale read gets a 409 and is made again from a fresh one.
   */
  void setImage(String namespace, String name, String image) {
    for (int attempt = 1; ; attempt++) {
      try {
        admin.apps().deployments().inNamespace(namespace).withName(name).updateImage(image);
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  void readyDeployment(String namespace, String name, String image) {
    deployment(namespace, name, image);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () ->
                admin.apps().deployments().inNamespace(namespace).withName(name).get().getStatus()
                    != null);
  }

  /** A git repository at {@code dir} with one commit and a clean tree, as deploy-app wants it. */
  static void cleanRepository(java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    try (org.eclipse.jgit.api.Git git =
        org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
      java.nio.file.Files.writeString(dir.resolve("a.txt"), "a");
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("a")
          .setAuthor("t", "t@example.com")
          .setCommitter("t", "t@example.com")
          .call();
    }
  }

  /** A Deployment of two replicas of one container, watched by the controller from now on. */
  Deployment deployment(String namespace, String name, String image) {
    return deployment(namespace, name, List.of(container(name, image)));
  }

  /** A Deployment of two replicas of these containers (an app with sidecars). */
  Deployment deployment(
      String namespace, String name, List<io.fabric8.kubernetes.api.model.Container> containers) {
    deployments.watch(namespace);
    return admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(ClusterObjects.deployment(namespace, name, 2, containers))
        .create();
  }

  /** Plays the CSI snapshotter: VolumeSnapshots in the namespace become ready to use. */
  void snapshotter(String namespace) {
    snapshotNamespaces.add(namespace);
  }

  /** Pods of {@code image} run but never become ready (a failing readiness probe). */
  void unhealthy(String image) {
    deployments.failing(image, Behaviour.NEVER_READY);
  }

  /** Pods of {@code image} behave so (a bad image: ImagePullBackOff; a crash loop; ...). */
  void failing(String image, Behaviour behaviour) {
    deployments.failing(image, behaviour);
  }

  String image(String namespace, String name) {
    return admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  /** The Velero namespace's default storage location, Available. */
  void veleroLocation() {
    admin
        .genericKubernetesResources(LOCATIONS)
        .inNamespace(VELERO)
        .resource(VeleroObjects.storageLocation(VELERO, "default"))
        .create();
    admin
        .genericKubernetesResources(LOCATIONS)
        .inNamespace(VELERO)
        .withName("default")
        .editStatus(withStatus(Map.of("phase", "Available")));
  }

  /** A backup that already exists, as an earlier run (or someone) made it. */
  void backup(String name, String phase, String namespace, Map<String, String> labels) {
    presetBackups.add(name);
    admin
        .genericKubernetesResources(BACKUPS)
        .inNamespace(VELERO)
        .resource(VeleroObjects.backup(VELERO, name, namespace, labels, null))
        .create();
    retryOnConflict(
        () ->
            admin
                .genericKubernetesResources(BACKUPS)
                .inNamespace(VELERO)
                .withName(name)
                .editStatus(withStatus(Map.of("phase", phase))));
  }

  /**
   * Edits made here race with this class's own controller thread, which may update the same object
   * between the read and the write of an edit (HTTP 409); a real client retries then too.
   */
  private static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  List<GenericKubernetesResource> all(ResourceDefinitionContext kind) {
    return admin.genericKubernetesResources(kind).inNamespace(VELERO).list().getItems();
  }

  /** Serves the resource list of every backup at http://127.0.0.1:PORT/resources. */
  void serveResourceLists(Map<String, List<String>> resources) {
    files = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    files.start();
    files.stubFor(
        get(urlEqualTo("/resources"))
            .willReturn(aResponse().withStatus(200).withBody(Json.write(resources))));
  }

  private void tick() {
    try {
      deployments.reconcile();
      resizer();
      snapshotNamespaces.forEach(this::snapshots);
      velero();
    } catch (RuntimeException e) {
      // the next tick tries again; the API server may be shutting down at the end of a test
    }
  }

  /** Plays the external resizer: a claim's capacity follows its request. */
  private void resizer() {
    for (var claim : admin.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
      var requested = claim.getSpec().getResources().getRequests().get("storage");
      var capacity =
          claim.getStatus() == null || claim.getStatus().getCapacity() == null
              ? null
              : claim.getStatus().getCapacity().get("storage");
      if (requested != null && !requested.equals(capacity)) {
        admin
            .persistentVolumeClaims()
            .inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .editStatus(
                c -> {
                  c.setStatus(
                      new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                          .withPhase("Bound")
                          .addToCapacity("storage", requested)
                          .build());
                  return c;
                });
      }
    }
  }

  private void snapshots(String namespace) {
    for (GenericKubernetesResource s :
        admin.genericKubernetesResources(SNAPSHOTS).inNamespace(namespace).list().getItems()) {
      if (s.get("status", "readyToUse") == null) {
        admin
            .genericKubernetesResources(SNAPSHOTS)
            .inNamespace(namespace)
            .withName(s.getMetadata().getName())
            .editStatus(withStatus(Map.of("readyToUse", true)));
      }
    }
  }

  private void velero() {
    for (ResourceDefinitionContext kind : List.of(BACKUPS, RESTORES)) {
      for (GenericKubernetesResource r : all(kind)) {
        if (r.get("status", "phase") != null
            || kind == BACKUPS && presetBackups.contains(r.getMetadata().getName())) {
          continue;
        }
        String phase = kind == BACKUPS ? backupPhase : "Completed";
        Map<String, Object> status = new HashMap<>();
        status.put("phase", phase);
        status.put("progress", Map.of("itemsBackedUp", 12, "itemsRestored", 12, "totalItems", 12));
        if (!"Completed".equals(phase)) {
          status.put("failureReason", "object storage unreachable");
        }
        admin
            .genericKubernetesResources(kind)
            .inNamespace(VELERO)
            .withName(r.getMetadata().getName())
            .editStatus(
                x -> {
                  if (x.get("status", "phase") == null) {
                    x.setAdditionalProperty("status", status);
                  }
                  return x;
                });
      }
    }
    // Velero signs a URL whether or not the bucket answers; without serveResourceLists nothing
    // listens at it (the "object storage unreachable" of the failed phases above).
    String bucket = "http://127.0.0.1:" + (files == null ? 1 : files.port());
    for (GenericKubernetesResource r : all(DOWNLOADS)) {
      if (r.get("status", "phase") != null) {
        continue;
      }
      // Only resource lists are served; other files (logs, results) are not in this bucket: 404
      Object kind = r.get("spec", "target", "kind");
      String url = bucket + ("BackupResourceList".equals(kind) ? "/resources" : "/missing/" + kind);
      admin
          .genericKubernetesResources(DOWNLOADS)
          .inNamespace(VELERO)
          .withName(r.getMetadata().getName())
          .editStatus(
              x -> {
                if (x.get("status", "phase") == null) {
                  x.setAdditionalProperty(
                      "status", Map.of("phase", "Processed", "downloadURL", url));
                }
                return x;
              });
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (files != null) {
      files.stop();
    }
  }
}
