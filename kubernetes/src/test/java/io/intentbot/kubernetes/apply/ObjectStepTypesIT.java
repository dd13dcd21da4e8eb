package io.intentbot.kubernetes.apply;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.namespace.NamespaceStepType;
import io.intentbot.kubernetes.network.IngressStepType;
import io.intentbot.kubernetes.storage.PvcStepType;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** apply, namespace, pvc and ingress: step types that write objects. */
class ObjectStepTypesIT {

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static final String MANIFESTS =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: web-config }
      data: { LOG_LEVEL: debug, MODE: fast }
      ---
      apiVersion: v1
      kind: Service
      metadata: { name: web }
      spec:
        selector: { app: web }
        ports: [ { port: 80, targetPort: 8080 } ]
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: { name: same }
      data: { A: "1" }
      """;

  @Test
  void applyReportsCreatedChangedUnchangedAndTheDryRunShowsTheDifference() throws Exception {
    var configMaps = cluster.admin.configMaps().inNamespace(NAMESPACE);
    configMaps
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("web-config")
                .addToLabels("keep", "me")
                .endMetadata()
                .addToData("LOG_LEVEL", "info")
                .addToData("MODE", "fast")
                .build())
        .create();
    configMaps
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("same")
                .endMetadata()
                .addToData("A", "1")
                .build())
        .create();
    var step = new ApplyStepType(cluster.access);

    StepPlan plan = step.plan(with("manifests", MANIFESTS), cluster.dryRunContext());

    assertThat(plan.summary()).isEqualTo("Apply 3 objects: 1 to create, 1 to change, 1 unchanged");
    assertThat(plan.details())
        .containsExactly(
            "change ConfigMap/shop-staging/web-config",
            "  data.LOG_LEVEL: info -> debug",
            "create Service/shop-staging/web",
            "unchanged ConfigMap/shop-staging/same");
    assertThat(cluster.admin.services().inNamespace(NAMESPACE).withName("web").get()).isNull();
    assertThat(configMaps.withName("web-config").get().getData())
        .containsEntry("LOG_LEVEL", "info");

    StepResult result = step.execute(with("manifests", MANIFESTS), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("created", List.of("Service/shop-staging/web"))
        .containsEntry("changed", List.of("ConfigMap/shop-staging/web-config"))
        .containsEntry("unchanged", List.of("ConfigMap/shop-staging/same"));
    var live = configMaps.withName("web-config").get();
    assertThat(live.getData()).containsEntry("LOG_LEVEL", "debug").containsEntry("MODE", "fast");
    assertThat(live.getMetadata().getLabels()).containsEntry("keep", "me");
    assertThat(
            cluster
                .admin
                .services()
                .inNamespace(NAMESPACE)
                .withName("web")
                .get()
                .getSpec()
                .getPorts())
        .hasSize(1);

    StepResult again = step.execute(with("manifests", MANIFESTS), cluster.context());
    assertThat(again.outputs())
        .containsEntry("created", List.of())
        .containsEntry("changed", List.of());
  }

  @Test
  void applyTakesAListOfObjects() throws Exception {
    var step = new ApplyStepType(cluster.access);
    Map<String, Object> manifest =
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Map.of("name", "listed"),
            "data",
            Map.of("K", "V"));

    StepResult result = step.execute(with("manifests", List.of(manifest)), cluster.context());

    assertThat(result.outputs()).containsEntry("created", List.of("ConfigMap/shop-staging/listed"));
    assertThat(cluster.admin.configMaps().inNamespace(NAMESPACE).withName("listed").get().getData())
        .containsEntry("K", "V");
  }

  @Test
  void namespaceIsCreatedWithQuotaLimitsAndBindingsAndMarkedAsOurs() throws Exception {
    var step = new NamespaceStepType(cluster.access);
    var input =
        with(
            "name", "shop-preview",
            "labels", Map.of("team", "shop"),
            "quota", Map.of("pods", "20", "requests.cpu", "4"),
            "limits",
                Map.of("default", Map.of("cpu", "500m"), "default_request", Map.of("cpu", "100m")),
            "role_bindings", List.of(Map.of("group", "shop-devs", "role", "edit")));

    StepPlan plan = step.plan(input, cluster.dryRunContext());
    assertThat(plan.summary()).isEqualTo("Create namespace shop-preview");
    assertThat(plan.details())
        .containsExactly(
            "create Namespace/shop-preview",
            "create ResourceQuota/shop-preview/intentbot-quota",
            "create LimitRange/shop-preview/intentbot-limits",
            "create RoleBinding/shop-preview/intentbot-edit-shop-devs");
    assertThat(cluster.admin.namespaces().withName("shop-preview").get()).isNull();

    StepResult result = step.execute(input, cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("created", true);
    var ns = cluster.admin.namespaces().withName("shop-preview").get();
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsEntry(NamespaceStepType.MANAGED_BY_LABEL, "intentbot");
    assertThat(ns.getMetadata().getAnnotations())
        .containsEntry(NamespaceStepType.CREATED_BY_ANNOTATION, "r-test");
    var quota =
        cluster
            .admin
            .resourceQuotas()
            .inNamespace("shop-preview")
            .withName("intentbot-quota")
            .get();
    assertThat(quota.getSpec().getHard()).containsEntry("pods", new Quantity("20"));
    var limits =
        cluster.admin.limitRanges().inNamespace("shop-preview").withName("intentbot-limits").get();
    assertThat(limits.getSpec().getLimits().get(0).getDefault())
        .containsEntry("cpu", new Quantity("500m"));
    var binding =
        cluster
            .admin
            .rbac()
            .roleBindings()
            .inNamespace("shop-preview")
            .withName("intentbot-edit-shop-devs")
            .get();
    assertThat(binding.getRoleRef().getName()).isEqualTo("edit");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("Group");
              assertThat(s.getName()).isEqualTo("shop-devs");
            });

    StepResult again =
        step.execute(
            with("name", "shop-preview", "quota", Map.of("pods", "30")), cluster.context());
    assertThat(again.success()).as(again.reason()).isTrue();
    assertThat(again.outputs()).containsEntry("created", false);
    assertThat(
            cluster
                .admin
                .resourceQuotas()
                .inNamespace("shop-preview")
                .withName("intentbot-quota")
                .get()
                .getSpec()
                .getHard())
        .containsEntry("pods", new Quantity("30"));
  }

  @Test
  void namespaceRefusesOneItDidNotCreateUnlessAdopting() throws Exception {
    cluster
        .admin
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("legacy")
                .addToLabels("owner", "ops")
                .endMetadata()
                .build())
        .create();
    var step = new NamespaceStepType(cluster.access);

    StepPlan plan =
        step.plan(
            with("name", "legacy", "labels", Map.of("team", "shop")), cluster.dryRunContext());
    StepResult refused =
        step.execute(with("name", "legacy", "labels", Map.of("team", "shop")), cluster.context());

    assertThat(plan.summary())
        .contains("would fail: namespace legacy exists and was not created by intentbot");
    assertThat(refused.failed()).isTrue();
    assertThat(refused.reason()).contains("set 'adopt: true'");
    assertThat(cluster.admin.namespaces().withName("legacy").get().getMetadata().getLabels())
        .containsOnlyKeys("owner");

    StepResult adopted =
        step.execute(
            with("name", "legacy", "labels", Map.of("team", "shop"), "adopt", true),
            cluster.context());

    assertThat(adopted.success()).as(adopted.reason()).isTrue();
    assertThat(cluster.admin.namespaces().withName("legacy").get().getMetadata().getLabels())
        .containsEntry("owner", "ops")
        .containsEntry("team", "shop")
        .containsEntry(NamespaceStepType.MANAGED_BY_LABEL, "intentbot");
  }

  private void pvc(String name, String size, String storageClass) {
    cluster
        .admin
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(storageClass)
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity(size))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  private void storageClass(String name, boolean expandable) {
    cluster
        .admin
        .storage()
        .v1()
        .storageClasses()
        .resource(ClusterObjects.storageClass(name, "csi.example", expandable))
        .create();
  }

  private String size(String name) {
    return cluster
        .admin
        .persistentVolumeClaims()
        .inNamespace(NAMESPACE)
        .withName(name)
        .get()
        .getSpec()
        .getResources()
        .getRequests()
        .get("storage")
        .toString();
  }

  @Test
  void pvcIsCreatedThenGrownOnlyWhenTheStorageClassAllowsIt() throws Exception {
    storageClass("fast", true);
    storageClass("fixed", false);
    var step = new PvcStepType(cluster.access);

    var create = with("action", "create", "name", "data", "size", "10Gi", "storage_class", "fast");
    assertThat(step.plan(create, cluster.dryRunContext()).summary())
        .isEqualTo("Create PVC shop-staging/data of 10Gi in storage class fast");
    assertThat(cluster.admin.persistentVolumeClaims().inNamespace(NAMESPACE).withName("data").get())
        .isNull();
    assertThat(step.execute(create, cluster.context()).outputs())
        .containsEntry("action", "created");
    assertThat(size("data")).isEqualTo("10Gi");

    var grow = with("action", "resize", "name", "data", "size", "20Gi");
    assertThat(step.plan(grow, cluster.dryRunContext()).summary())
        .isEqualTo("Grow PVC shop-staging/data from 10Gi to 20Gi");
    assertThat(size("data")).isEqualTo("10Gi");
    // the external resizer, on the step's virtual time: the volume grows a moment later
    cluster.time.schedule(
        () ->
            cluster
                .admin
                .persistentVolumeClaims()
                .inNamespace(NAMESPACE)
                .withName("data")
                .editStatus(
                    c -> {
                      c.setStatus(
                          new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                              .withPhase("Bound")
                              .addToCapacity("storage", new Quantity("20Gi"))
                              .build());
                      return c;
                    }),
        50,
        TimeUnit.MILLISECONDS);
    StepResult grown = cluster.time.run(step.executeAsync(grow, cluster.context(), cluster.time));
    assertThat(grown.success()).as(grown.reason()).isTrue();
    assertThat(grown.outputs())
        .containsEntry("resize_pending", false)
        .containsEntry("action", "resized")
        .containsEntry("previous_size", "10Gi");
    assertThat(size("data")).isEqualTo("20Gi");

    StepResult shrink =
        step.execute(with("action", "resize", "name", "data", "size", "5Gi"), cluster.context());
    assertThat(shrink.failed()).isTrue();
    assertThat(shrink.reason()).contains("volumes only grow");
    assertThat(size("data")).isEqualTo("20Gi");

    pvc("fixed-data", "1Gi", "fixed");
    StepResult fixed =
        step.execute(
            with("action", "resize", "name", "fixed-data", "size", "2Gi"), cluster.context());
    assertThat(fixed.failed()).isTrue();
    assertThat(fixed.reason()).contains("storage class fixed does not allow volume expansion");
    assertThat(size("fixed-data")).isEqualTo("1Gi");
  }

  @Test
  void pvcSnapshotCreatesAVolumeSnapshotAndWaitsUntilReady() throws Exception {
    pvc("data", "10Gi", "fast");
    var step = new PvcStepType(cluster.access);
    var snapshots =
        cluster
            .admin
            .genericKubernetesResources(PvcStepType.VOLUME_SNAPSHOTS)
            .inNamespace(NAMESPACE);
    var input =
        with(
            "action",
            "snapshot",
            "name",
            "data",
            "snapshot",
            "data-snap",
            "snapshot_class",
            "csi",
            "timeout",
            "5s",
            "poll_interval",
            "20ms");
    assertThat(step.plan(input, cluster.dryRunContext()).summary())
        .isEqualTo("Snapshot PVC shop-staging/data as VolumeSnapshot data-snap");
    assertThat(snapshots.list().getItems()).isEmpty();
    // The snapshot controller, on the step's virtual time: the snapshot exists by then.
    cluster.time.schedule(
        () -> {
          snapshots
              .withName("data-snap")
              .editStatus(ClusterObjects.withStatus(Map.of("readyToUse", true)));
        },
        50,
        TimeUnit.MILLISECONDS);

    StepResult result = cluster.time.run(step.executeAsync(input, cluster.context(), cluster.time));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("snapshot", "data-snap")
        .containsEntry("ready_to_use", true);
    var snapshot = snapshots.withName("data-snap").get();
    assertThat(snapshot.<Object>get("spec", "source", "persistentVolumeClaimName"))
        .isEqualTo("data");
    assertThat(snapshot.<Object>get("spec", "volumeSnapshotClassName")).isEqualTo("csi");
  }

  @Test
  void ingressIsCreatedAndRefusesAHostRoutedElsewhere() throws Exception {
    var step = new IngressStepType(cluster.access);
    var input =
        with(
            "name",
            "web",
            "host",
            "shop.example.com",
            "service",
            "web",
            "port",
            8080,
            "tls_secret",
            "shop-tls",
            "ingress_class",
            "nginx");

    StepPlan plan = step.plan(input, cluster.dryRunContext());
    assertThat(plan.summary())
        .isEqualTo(
            "create Ingress shop-staging/web: shop.example.com/ -> service web:8080 (TLS from secret shop-tls)");
    assertThat(cluster.admin.network().v1().ingresses().inAnyNamespace().list().getItems())
        .isEmpty();

    StepResult result = step.execute(input, cluster.context());
    assertThat(result.outputs())
        .containsEntry("action", "created")
        .containsEntry("url", "https://shop.example.com/");
    var ingress =
        cluster.admin.network().v1().ingresses().inNamespace(NAMESPACE).withName("web").get();
    var rule = ingress.getSpec().getRules().get(0);
    assertThat(rule.getHost()).isEqualTo("shop.example.com");
    assertThat(rule.getHttp().getPaths().get(0).getBackend().getService().getPort().getNumber())
        .isEqualTo(8080);
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("shop-tls");
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");

    var moved =
        with("name", "web", "host", "shop.example.com", "service", "web-v2", "port", "http");
    StepResult changed = step.execute(moved, cluster.context());
    assertThat(changed.outputs()).containsEntry("action", "changed");
    var paths =
        cluster
            .admin
            .network()
            .v1()
            .ingresses()
            .inNamespace(NAMESPACE)
            .withName("web")
            .get()
            .getSpec()
            .getRules()
            .get(0)
            .getHttp()
            .getPaths();
    assertThat(paths)
        .singleElement()
        .satisfies(p -> assertThat(p.getBackend().getService().getName()).isEqualTo("web-v2"));

    var other =
        new io.intentbot.engine.testing.RecordingStepContext(
            MockCluster.config(Map.of()),
            MockCluster.staging(),
            "blog",
            java.nio.file.Path.of("."));
    StepResult refused =
        step.execute(
            with("name", "blog", "host", "shop.example.com", "service", "blog", "port", 80), other);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.reason())
        .isEqualTo(
            "host shop.example.com path / is already routed by ingress shop-staging/web (class nginx)");
    assertThat(
            cluster
                .admin
                .network()
                .v1()
                .ingresses()
                .inNamespace("blog-staging")
                .withName("blog")
                .get())
        .isNull();
  }

  @Test
  void ingressConflictsOnlyOnTheSameHostPathAndClass() throws Exception {
    var step = new IngressStepType(cluster.access);
    step.execute(
        with(
            "name",
            "web",
            "host",
            "shop.example.com",
            "service",
            "web",
            "port",
            80,
            "ingress_class",
            "nginx"),
        cluster.context());

    StepResult otherPath =
        step.execute(
            with(
                "name",
                "api",
                "host",
                "shop.example.com",
                "path",
                "/api",
                "service",
                "api",
                "port",
                80,
                "ingress_class",
                "nginx"),
            cluster.context());
    StepResult otherClass =
        step.execute(
            with(
                "name",
                "web-internal",
                "host",
                "shop.example.com",
                "service",
                "web",
                "port",
                80,
                "ingress_class",
                "internal"),
            cluster.context());
    StepResult samePath =
        step.execute(
            with(
                "name",
                "web-copy",
                "host",
                "SHOP.example.com",
                "path",
                "/",
                "service",
                "web",
                "port",
                80),
            cluster.context());

    assertThat(otherPath.success()).as(otherPath.reason()).isTrue();
    assertThat(otherClass.success()).as(otherClass.reason()).isTrue();
    assertThat(samePath.failed()).isTrue();
    assertThat(samePath.reason())
        .startsWith("host SHOP.example.com path / is already routed by ingress shop-staging/");
  }

  @Test
  void ingressUpdateChangesOnlyItsHostsPathAndKeepsTheRest() throws Exception {
    cluster
        .admin
        .network()
        .v1()
        .ingresses()
        .inNamespace(NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withIngressClassName("nginx")
                .addNewRule()
                .withHost("shop.example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName("web")
                .withNewPort()
                .withNumber(80)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .addNewPath()
                .withPath("/api")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName("api")
                .withNewPort()
                .withNumber(80)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .addNewRule()
                .withHost("admin.example.com")
                .endRule()
                .addNewTl()
                .withHosts("admin.example.com")
                .withSecretName("admin-tls")
                .endTl()
                .endSpec()
                .build())
        .create();

    StepResult result =
        new IngressStepType(cluster.access)
            .execute(
                with(
                    "name",
                    "web",
                    "host",
                    "shop.example.com",
                    "path",
                    "/api",
                    "service",
                    "api-v2",
                    "port",
                    8080,
                    "tls_secret",
                    "shop-tls"),
                cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    var spec =
        cluster
            .admin
            .network()
            .v1()
            .ingresses()
            .inNamespace(NAMESPACE)
            .withName("web")
            .get()
            .getSpec();
    assertThat(spec.getIngressClassName()).isEqualTo("nginx");
    assertThat(spec.getRules())
        .extracting(r -> r.getHost())
        .containsExactly("shop.example.com", "admin.example.com");
    assertThat(spec.getRules().get(0).getHttp().getPaths())
        .extracting(p -> p.getPath() + " " + p.getBackend().getService().getName())
        .containsExactly("/ web", "/api api-v2");
    assertThat(spec.getTls())
        .extracting(t -> t.getSecretName() + " " + t.getHosts())
        .containsExactly("admin-tls [admin.example.com]", "shop-tls [shop.example.com]");
  }

  @Test
  void ingressChecksItsNamespaceWhenListingEveryNamespaceIsForbidden() throws Exception {
    cluster.api.drop("GET", "/networking.k8s.io/v1/ingresses", 1, 403, null);
    var context = cluster.context();

    StepResult result =
        new IngressStepType(cluster.access)
            .execute(
                with("name", "web", "host", "shop.example.com", "service", "web", "port", 80),
                context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(context.lines())
        .contains(
            "may not list Ingresses in every namespace: host shop.example.com checked against"
                + " namespace shop-staging only");
  }
}
