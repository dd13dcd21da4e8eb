package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backup-app and restore-app against a Velero server the test plays. */
class BackupRestoreIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;

  @BeforeEach
  void start() {
    catalog = new CatalogFixture(root);
    controllers = new Controllers(catalog.admin);
    controllers.veleroLocation();
    controllers.serveResourceLists(
        Map.of(
            "apps/v1/Deployment",
            List.of("web-sandbox/web"),
            "v1/ConfigMap",
            List.of("web-sandbox/web-config")));
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.0.0");
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void backupAppBacksUpTheNamespaceAndReportsTheBackupName() throws Exception {
    RunRecord run = catalog.run("backup-app", "app=web", "env=sandbox", "label=tier=data");

    assertSucceeded(run);
    GenericKubernetesResource backup = controllers.all(Controllers.BACKUPS).get(0);
    assertThat(run.outputs())
        .containsEntry("backup", backup.getMetadata().getName())
        .containsEntry("phase", "Completed");
    assertThat(backup.getMetadata().getLabels())
        .containsEntry("intentbot.io/app", "web")
        .containsEntry("intentbot.io/environment", "sandbox");
    assertThat(backup.get("spec", "includedNamespaces").toString()).contains("web-sandbox");
    assertThat(backup.get("spec", "labelSelector").toString()).contains("tier=data");
  }

  @Test
  void backupAppSendsItsTtlInGoFormatAsVeleroReadsIt() throws Exception {
    RunRecord run = catalog.run("backup-app", "app=web", "env=sandbox", "ttl=7d");

    assertSucceeded(run);
    assertThat(run.parameters())
        .as("a backup may take as long as Velero's own item operation timeout")
        .containsEntry("timeout", "4h");
    assertThat(controllers.all(Controllers.BACKUPS).get(0).<Object>get("spec", "ttl"))
        .isEqualTo("168h0m0s");
  }

  @Test
  void backupAppSendsItsHooksToVeleroAsPreAndPostExecHooksOfTheBackup() throws Exception {
    String plan =
        catalog.plan(
            "backup-app",
            "app=web",
            "env=sandbox",
            "pre_hook=pg_dump -f /backup/web.sql web",
            "post_hook=rm /backup/web.sql",
            "hook_container=db",
            "hook_timeout=2m");
    RunRecord run =
        catalog.run(
            "backup-app",
            "app=web",
            "env=sandbox",
            "pre_hook=pg_dump -f /backup/web.sql web",
            "post_hook=rm /backup/web.sql",
            "hook_container=db",
            "hook_timeout=2m");
    RunRecord none = catalog.run("backup-app", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertSucceeded(none);
    assertThat(plan)
        .contains(
            "hook web, in pods: pre hook: /bin/sh -c pg_dump -f /backup/web.sql web in container db"
                + " (on error Continue, timeout 2m)");
    var backups = controllers.all(Controllers.BACKUPS);
    GenericKubernetesResource hooked =
        backups.stream()
            .filter(b -> b.getMetadata().getName().equals(run.outputs().get("backup")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> exec = Map.of("container", "db", "onError", "Continue", "timeout", "2m0s");
    assertThat(hooked.<Object>get("spec", "hooks", "resources"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "web",
                    "includedResources",
                    List.of("pods"),
                    "pre",
                    List.of(
                        Map.of(
                            "exec", with(exec, "/bin/sh", "-c", "pg_dump -f /backup/web.sql web"))),
                    "post",
                    List.of(Map.of("exec", with(exec, "/bin/sh", "-c", "rm /backup/web.sql"))))));
    GenericKubernetesResource plain =
        backups.stream()
            .filter(b -> b.getMetadata().getName().equals(none.outputs().get("backup")))
            .findFirst()
            .orElseThrow();
    assertThat(plain.<Object>get("spec", "hooks")).isNull();
  }

  private static Map<String, Object> with(Map<String, Object> exec, String... command) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(exec);
    all.put("command", List.of(command));
    return all;
  }

  @Test
  void restoreAppUpdatesExistingObjectsByDefaultSkipsThemWhenAskedAndSaysSoInThePlan()
      throws Exception {
    controllers.backup("web-nightly", "Completed", "web-sandbox", sandboxLabels());

    String plan = catalog.plan("restore-app", "app=web", "env=sandbox", "backup=web-nightly");
    RunRecord update = catalog.run("restore-app", "app=web", "env=sandbox", "backup=web-nightly");
    RunRecord skip =
        catalog.run("restore-app", "app=web", "env=sandbox", "backup=web-nightly", "existing=skip");

    assertThat(plan)
        .contains("existingResourcePolicy: update")
        .contains("volume data is not overwritten in place");
    assertSucceeded(update);
    assertSucceeded(skip);
    assertThat(update.parameters())
        .as("a restore may take as long as Velero's own item operation timeout")
        .containsEntry("timeout", "4h")
        .containsEntry("health_timeout", "10m");
    assertThat(controllers.all(Controllers.RESTORES))
        .extracting(r -> r.<Object>get("spec", "existingResourcePolicy"))
        .containsExactlyInAnyOrder("update", "none");
  }

  @Test
  void backupAppFailsWithVelerosReason() throws Exception {
    controllers.backupPhase = "Failed";

    RunRecord run = catalog.run("backup-app", "app=web", "env=sandbox");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("Failed").contains("object storage unreachable");
  }

  @Test
  void restoreAppChecksTheBackupListsItsContentsAndRestores() throws Exception {
    controllers.backup("web-nightly", "Completed", "web-sandbox", sandboxLabels());

    String plan = catalog.plan("restore-app", "app=web", "env=sandbox", "backup=web-nightly");
    assertThat(plan)
        .contains("phase = Completed")
        .contains("namespaces = [web-sandbox]")
        .contains("restore_into = web-sandbox")
        .as("the target namespace's state, read while planning")
        .contains("namespace_exists = ")
        .contains("total = ")
        .as("the backup's contents, listed through a DownloadRequest while planning")
        .contains("kinds = [apps/v1/Deployment: 1, v1/ConfigMap: 1]")
        .contains("message = 2 resources in 2 kinds");
    assertThat(controllers.all(Controllers.DOWNLOADS)).as("the request is gone again").isEmpty();

    RunRecord run = catalog.run("restore-app", "app=web", "env=sandbox", "backup=web-nightly");

    assertSucceeded(run);
    assertThat(catalog.step(run.id(), "contents").outputText()).contains("apps/v1/Deployment: 1");
    List<GenericKubernetesResource> restores = controllers.all(Controllers.RESTORES);
    assertThat(restores)
        .singleElement()
        .satisfies(r -> assertThat(r.<Object>get("spec", "backupName")).isEqualTo("web-nightly"));
    assertThat(run.outputs()).containsEntry("backup", "web-nightly");
  }

  @Test
  void restoreAppPicksTheNewestCompletedBackupOfTheAppAndEnvironment() throws Exception {
    controllers.backup("web-broken", "Failed", "web-sandbox", sandboxLabels());
    controllers.backup("web-good", "Completed", "web-sandbox", sandboxLabels());
    controllers.backup(
        "api-good",
        "Completed",
        "api-sandbox",
        Map.of("intentbot.io/app", "api", "intentbot.io/environment", "sandbox"));

    RunRecord run = catalog.run("restore-app", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("backup", "web-good");
  }

  @Test
  void restoresAcrossEnvironmentsOnlyWhenAskedAndMapsTheNamespace() throws Exception {
    controllers.backup(
        "web-prod",
        "Completed",
        "web",
        Map.of("intentbot.io/app", "web", "intentbot.io/environment", "production"));

    assertThat(
            String.join(
                "\n", catalog.invalid("restore-app", "app=web", "env=sandbox", "backup=web-prod")))
        .contains("backup web-prod was not taken in sandbox")
        .contains("intentbot.io/environment=production")
        .contains("nothing was changed");

    // Copying production's backup into sandbox touches production: it waits for its approvers.
    io.intentbot.engine.model.Submission waiting =
        catalog.submit(
            "restore-app",
            "U_DEV",
            false,
            "app=web",
            "env=sandbox",
            "backup=web-prod",
            "from_env=production");
    assertThat(waiting).isInstanceOf(io.intentbot.engine.model.Submission.AwaitingApproval.class);
    RunRecord parked = ((io.intentbot.engine.model.Submission.AwaitingApproval) waiting).run();
    assertThat(parked.approvalEnvironment()).isEqualTo("production");
    String approver =
        catalog.started().config().environments().get("production").approval().approvers().get(0);
    assertThat(catalog.started().approve(parked.id(), approver).accepted()).isTrue();
    RunRecord run = catalog.finish(parked.id());

    assertSucceeded(run);
    assertThat(controllers.all(Controllers.RESTORES).get(0).<Object>get("spec", "namespaceMapping"))
        .isEqualTo(Map.of("web", "web-sandbox"));
  }

  @Test
  void refusesAnInvalidBackupBeforeAnythingIsTouched() {
    controllers.backup("web-broken", "PartiallyFailed", "web-sandbox", sandboxLabels());

    assertThat(
            String.join(
                "\n",
                catalog.invalid("restore-app", "app=web", "env=sandbox", "backup=web-broken")))
        .contains("backup web-broken is PartiallyFailed, not Completed");
    assertThat(
            String.join(
                "\n",
                catalog.invalid("restore-app", "app=web", "env=sandbox", "backup=no-such-backup")))
        .contains("backup no-such-backup does not exist");
    assertThat(String.join("\n", catalog.invalid("restore-app", "app=api", "env=sandbox")))
        .contains("no Completed backup of api in sandbox");
    assertThat(
            String.join(
                "\n", catalog.invalid("restore-app", "app=web", "env=sandbox", "backup=Bad_Name")))
        .contains("backup");
    assertThat(controllers.all(Controllers.RESTORES)).isEmpty();
  }

  private static Map<String, String> sandboxLabels() {
    return Map.of("intentbot.io/app", "web", "intentbot.io/environment", "sandbox");
  }
}
