package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Submission;
import io.intentbot.kubernetes.testing.ClusterObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every catalogue intent dry-runs to a plan and changes nothing: not the cluster, not a database,
 * not a file.
 */
class DryRunIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;

  @BeforeEach
  void start() throws Exception {
    catalog =
        new CatalogFixture(
            root, "", PlatformIntentsIT.helmConfig(PlatformIntentsIT.fakeHelm(root)));
    controllers = new Controllers(catalog.admin);
    controllers.veleroLocation();
    controllers.serveResourceLists(
        Map.of("apps/v1/Deployment", java.util.List.of("web-sandbox/web")));
    controllers.readyDeployment("web-sandbox", "web", "registry.test/web:1.0.0");
    controllers.setImage("web-sandbox", "web", "registry.test/web:1.1.0");
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                catalog
                        .admin
                        .apps()
                        .replicaSets()
                        .inNamespace("web-sandbox")
                        .list()
                        .getItems()
                        .size()
                    == 2);
    controllers.backup(
        "web-nightly",
        "Completed",
        "web-sandbox",
        Map.of("intentbot.io/app", "web", "intentbot.io/environment", "sandbox"));
    Controllers.cleanRepository(root.resolve("repos/web"));
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void everyIntentPlansWithoutChangingAnything() throws Exception {
    String[][] runs = {
      {"deploy-app", "app=web", "env=sandbox"},
      {"rollback-app", "app=web", "env=sandbox"},
      {"migrate-schema", "app=web", "env=sandbox", "backup_first=true"},
      {"database-rollback", "app=api", "env=sandbox", "to=0"},
      {"backup-app", "app=web", "env=sandbox"},
      {"restore-app", "app=web", "env=sandbox"},
      {"create-namespace", "app=api", "env=sandbox", "groups=api-devs"},
      {"manage-pvc", "app=web", "env=sandbox", "action=create", "name=data-web", "size=1Gi"},
      {"manage-ingress", "app=web", "env=sandbox", "host=web.example.com"},
      {"update-helm-chart", "chart=authentik", "env=sandbox", "version=2024.8.1"},
      {"validate-schema", "app=web", "env=sandbox"},
      {"inspect-schema", "app=web"},
      {"debug-pod", "app=web", "env=sandbox", "command=env"},
      {"network-diagnose", "app=web", "env=sandbox"},
      {"create-nextjs-app", "name=shop", "dir=" + root.resolve("apps/shop")},
    };
    Files.createDirectories(root.resolve("api-migrations"));
    catalog
        .admin
        .pods()
        .inNamespace("web-sandbox")
        .resource(ClusterObjects.runningPod("web-1", "web").build())
        .create();
    assertThat(java.util.Arrays.stream(runs).map(r -> r[0]).toList())
        .containsExactlyInAnyOrderElementsOf(CatalogLintTest.CATALOGUE);

    for (String[] run : runs) {
      String[] arguments = java.util.Arrays.copyOfRange(run, 1, run.length);
      Submission submission = catalog.submit(run[0], "U_DEV", true, arguments);
      assertThat(submission)
          .as("%s: %s", run[0], submission)
          .isInstanceOf(Submission.Planned.class);
      assertThat(((Submission.Planned) submission).plan().steps()).as(run[0]).isNotEmpty();
    }

    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.1.0");
    assertThat(controllers.all(Controllers.BACKUPS)).hasSize(1);
    assertThat(controllers.all(Controllers.RESTORES)).isEmpty();
    assertThat(controllers.all(Controllers.DOWNLOADS)).isEmpty();
    assertThat(catalog.admin.namespaces().list().getItems()).isEmpty();
    assertThat(catalog.admin.persistentVolumeClaims().inAnyNamespace().list().getItems()).isEmpty();
    assertThat(catalog.admin.network().v1().ingresses().inAnyNamespace().list().getItems())
        .isEmpty();
    assertThat(root.resolve("apps")).doesNotExist();
    assertThat(root.resolve("helm-state")).isEmptyDirectory();
    assertThat(catalog.engine.history(null, 50)).allMatch(r -> r.dryRun());
  }
}
