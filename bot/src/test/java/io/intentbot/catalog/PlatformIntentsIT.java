package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.kubernetes.testing.ClusterObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * create-namespace, manage-pvc, manage-ingress and update-helm-chart on the mock cluster (Helm is a
 * small script standing in for the helm binary), debug-pod and network-diagnose up to the cluster
 * exec (which the mock server cannot serve in CRUD mode).
 */
class PlatformIntentsIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;

  @BeforeEach
  void start() throws Exception {
    catalog = new CatalogFixture(root, "", helmConfig(fakeHelm(root)));
    controllers = new Controllers(catalog.admin);
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void createNamespaceCreatesItWithRoleBindingsAndQuotaOnceOnly() throws Exception {
    RunRecord run =
        catalog.run(
            "create-namespace",
            "app=web",
            "env=sandbox",
            "groups=web-devs,web-ops",
            "memory=4Gi",
            "pods=10");

    assertSucceeded(run);
    assertThat(run.outputs())
        .containsEntry("namespace", "web-sandbox")
        .containsEntry("created", true);
    var ns = catalog.admin.namespaces().withName("web-sandbox").get();
    assertThat(ns.getMetadata().getLabels()).containsEntry("intentbot.io/app", "web");
    var quota =
        catalog.admin.resourceQuotas().inNamespace("web-sandbox").withName("intentbot-quota").get();
    assertThat(quota.getSpec().getHard()).containsKeys("requests.cpu", "requests.memory", "pods");
    assertThat(quota.getSpec().getHard().get("pods").toString()).isEqualTo("10");
    var bindings = catalog.admin.rbac().roleBindings().inNamespace("web-sandbox").list().getItems();
    assertThat(bindings).hasSize(2);
    assertThat(bindings.toString()).contains("web-devs", "web-ops", "edit");

    RunRecord again =
        catalog.run(
            "create-namespace",
            "app=web",
            "env=sandbox",
            "groups=web-devs,web-ops",
            "memory=4Gi",
            "pods=10");
    assertSucceeded(again);
    assertThat(again.outputs()).containsEntry("created", false);

    assertThat(
            String.join(
                "\n", catalog.invalid("create-namespace", "app=web", "env=sandbox", "pods=many")))
        .contains("pods");
    assertThat(
            String.join(
                "\n", catalog.invalid("create-namespace", "app=web", "env=sandbox", "groups=a b")))
        .contains("groups");
  }

  @Test
  void managePvcCreatesAndGrowsButNeverShrinks() throws Exception {
    catalog
        .admin
        .storage()
        .v1()
        .storageClasses()
        .resource(ClusterObjects.storageClass("fast", "test", true))
        .create();

    assertSucceeded(
        catalog.run(
            "manage-pvc",
            "app=web",
            "env=sandbox",
            "action=create",
            "name=data-web",
            "size=1Gi",
            "storage_class=fast"));
    assertThat(pvc().getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("1Gi");

    assertSucceeded(
        catalog.run(
            "manage-pvc", "app=web", "env=sandbox", "action=resize", "name=data-web", "size=2Gi"));
    assertThat(pvc().getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("2Gi");

    RunRecord shrink =
        catalog.run(
            "manage-pvc", "app=web", "env=sandbox", "action=resize", "name=data-web", "size=1Gi");
    assertThat(shrink.status()).isEqualTo(RunStatus.FAILED);
    assertThat(shrink.reason()).contains("volumes only grow");
    assertThat(pvc().getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("2Gi");

    controllers.snapshotter("web-sandbox");
    RunRecord snapshot =
        catalog.run(
            "manage-pvc",
            "app=web",
            "env=sandbox",
            "action=snapshot",
            "name=data-web",
            "snapshot_class=csi");
    assertSucceeded(snapshot);
    assertThat(snapshot.outputs()).containsEntry("action", "snapshotted");
    assertThat(
            catalog
                .admin
                .genericKubernetesResources(Controllers.SNAPSHOTS)
                .inNamespace("web-sandbox")
                .list()
                .getItems())
        .singleElement()
        .satisfies(
            s -> assertThat(s.<Object>get("spec", "volumeSnapshotClassName")).isEqualTo("csi"));

    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "manage-pvc", "app=web", "env=sandbox", "action=resize", "name=data-web")))
        .contains("action=resize needs size=");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "manage-pvc", "app=web", "env=sandbox", "action=delete", "name=data-web")))
        .contains("action");
  }

  @Test
  void manageIngressRoutesAHostAndRefusesOneAlreadyRouted() throws Exception {
    RunRecord run =
        catalog.run(
            "manage-ingress", "app=web", "env=sandbox", "host=web.example.com", "port=8080");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("action", "created");
    var ingress =
        catalog.admin.network().v1().ingresses().inNamespace("web-sandbox").withName("web").get();
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("web.example.com");

    RunRecord conflict =
        catalog.run("manage-ingress", "app=api", "env=sandbox", "host=web.example.com");
    assertThat(conflict.status()).isEqualTo(RunStatus.FAILED);
    assertThat(conflict.reason()).contains("web.example.com");
    assertThat(
            catalog.admin.network().v1().ingresses().inNamespace("api-sandbox").list().getItems())
        .isEmpty();

    assertThat(
            String.join(
                "\n",
                catalog.invalid("manage-ingress", "app=web", "env=sandbox", "host=not a host")))
        .contains("host");
  }

  @Test
  void updateHelmChartUpgradesAtomicallyShowsHistoryAndRollsBack() throws Exception {
    RunRecord first =
        catalog.run("update-helm-chart", "chart=velero", "env=sandbox", "version=7.1.0");
    assertSucceeded(first);
    RunRecord second =
        catalog.run("update-helm-chart", "chart=velero", "env=sandbox", "version=7.2.1");
    assertSucceeded(second);
    assertThat(((Number) second.outputs().get("revision")).longValue()).isEqualTo(2L);
    assertThat(Files.readString(root.resolve("helm-calls.log")))
        .contains("repo add vmware-tanzu https://vmware-tanzu.github.io/helm-charts --force-update")
        .contains("upgrade --install velero vmware-tanzu/velero")
        .contains("--atomic")
        .contains("--version 7.2.1");
    // each upgrade, dry run or real, comes right after its chart repository was added afresh
    assertThat(
            Files.readAllLines(root.resolve("helm-calls.log")).stream()
                .filter(line -> line.startsWith("repo ") || line.startsWith("upgrade "))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .collect(java.util.stream.Collectors.joining(",")))
        .matches("repo,upgrade(,repo,upgrade)*");

    RunRecord failed =
        catalog.run("update-helm-chart", "chart=velero", "env=sandbox", "version=9.9.9");
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.reason()).contains("UPGRADE FAILED");

    RunRecord history =
        catalog.run("update-helm-chart", "chart=velero", "env=sandbox", "action=history");
    assertSucceeded(history);
    assertThat(catalog.step(history.id(), "before").outputText())
        .contains("velero-7.2.1")
        .contains("velero-7.1.0");

    RunRecord rollback =
        catalog.run("update-helm-chart", "chart=velero", "env=sandbox", "action=rollback");
    assertSucceeded(rollback);
    assertThat(catalog.step(rollback.id(), "after").outputText())
        .startsWith("3  deployed  velero-7.1.0");

    assertThat(
            String.join("\n", catalog.invalid("update-helm-chart", "chart=velero", "env=sandbox")))
        .contains("action=upgrade needs version=");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "update-helm-chart", "chart=nginx", "env=sandbox", "version=1.0.0")))
        .contains("chart");
  }

  @Test
  void debugPodFindsThePodFirstAndTakesTheCommandAsArguments() {
    assertThat(
            String.join(
                "\n",
                catalog.invalid("debug-pod", "app=web", "env=sandbox", "command=ls -l /data")))
        .contains("no pod of web (label app=web) in web-sandbox");
    assertThat(
            String.join(
                "\n",
                catalog.invalid("debug-pod", "app=web", "env=sandbox", "command=ls; rm -rf /")))
        .contains("command");

    catalog
        .admin
        .pods()
        .inNamespace("web-sandbox")
        .resource(ClusterObjects.runningPod("web-1", "web").build())
        .create();
    assertThat(catalog.plan("debug-pod", "app=web", "env=sandbox", "command=ls -l /data"))
        .contains("exec: Run [ls, -l, /data] in the first running pod in web-sandbox");
  }

  @Test
  void networkDiagnoseIsReadOnlyAndDefaultsToTheAppsServiceDatabaseAndIngress() {
    Submission submission =
        catalog.submit("network-diagnose", "U_DEV", true, "app=web", "env=production");
    assertThat(submission).isInstanceOf(Submission.Planned.class);
    String plan = ((Submission.Planned) submission).plan().describe();
    assertThat(plan)
        .contains("web.web.svc.cluster.local")
        .contains("web.web:80")
        .contains("http://web.web:80/");
    assertThat(
            catalog.plan(
                "network-diagnose",
                "app=web",
                "env=sandbox",
                "targets=db.internal:5432,https://example.com/"))
        .contains("db.internal:5432")
        .contains("https://example.com/");
    assertThat(
            String.join(
                "\n",
                catalog.invalid("network-diagnose", "app=web", "env=sandbox", "targets=$(reboot)")))
        .contains("targets");
  }

  private PersistentVolumeClaim pvc() {
    return catalog
        .admin
        .persistentVolumeClaims()
        .inNamespace("web-sandbox")
        .withName("data-web")
        .get();
  }

  /**
   * The {@code helm:} config of the tests: the stand-in binary and the shipped config's chart
   * repositories, so the shipped intents' charts must come from repositories the shipped config
   * lists.
   */
  static String helmConfig(Path helm) throws Exception {
    var repositories =
        Json.YAML
            .readTree(Files.readString(Path.of("..", "config", "intentbot.yaml")))
            .path("helm")
            .path("repositories");
    return "helm: { binary: \""
        + helm
        + "\", repositories: "
        + Json.MAPPER.writeValueAsString(repositories)
        + " }\n";
  }

  /**
   * A helm stand-in: keeps a release's revisions in a file, fails upgrades to 9.9.9 like an atomic
   * upgrade.
   */
  static Path fakeHelm(Path root) throws Exception {
    Path state = Files.createDirectories(root.resolve("helm-state"));
    Path script = root.resolve("helm");
    Files.writeString(
        script,
        """
        #!/bin/bash
        STATE=%s
        echo "$@" >> %s
        cmd=$1; shift
        case "$cmd" in
          plugin) exit 0 ;;
          repo) echo "\\"$2\\" has been added to your repositories" ;;
          history)
            f=$STATE/$1
            if [ ! -s "$f" ]; then echo "Error: release: not found" >&2; exit 1; fi
            sep=""; printf '['
            while IFS='|' read -r rev status chart; do
              printf '%%s{"revision":%%s,"updated":"2026-01-01","status":"%%s","chart":"%%s","app_version":"1","description":"test"}' "$sep" "$rev" "$status" "$chart"; sep=","
            done < "$f"
            printf ']\\n' ;;
          upgrade)
            shift; rel=$1; chart=$2; ver=""; dry=0
            while [ $# -gt 0 ]; do case "$1" in --version) ver=$2; shift ;; --dry-run) dry=1 ;; esac; shift; done
            if [ $dry = 1 ]; then echo "Release \\"$rel\\" would be upgraded to ${chart##*/}-$ver"; exit 0; fi
            if [ "$ver" = "9.9.9" ]; then echo "Error: UPGRADE FAILED: release $rel failed, and has been rolled back due to atomic being set" >&2; exit 1; fi
            f=$STATE/$rel; touch "$f"
            n=$(( $(wc -l < "$f") + 1 ))
            sed -i 's/|deployed|/|superseded|/' "$f"
            echo "$n|deployed|${chart##*/}-$ver" >> "$f"
            echo "REVISION: $n"; echo "STATUS: deployed" ;;
          rollback)
            rel=$1; to=$2; f=$STATE/$rel
            chart=$(awk -F'|' -v r="$to" '$1==r {print $3}' "$f")
            n=$(( $(wc -l < "$f") + 1 ))
            sed -i 's/|deployed|/|superseded|/' "$f"
            echo "$n|deployed|$chart" >> "$f"
            echo "Rollback was a success! Happy Helming!" ;;
          *) echo "unknown command $cmd" >&2; exit 2 ;;
        esac
        """
            .formatted(state.toAbsolutePath(), root.resolve("helm-calls.log").toAbsolutePath()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toAbsolutePath();
  }
}
