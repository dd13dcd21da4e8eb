package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunRecord;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rollback-app: previous, a given version, list; a missing version refused before any change. */
class RollbackAppIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;

  @BeforeEach
  void start() {
    catalog = new CatalogFixture(root);
    controllers = new Controllers(catalog.admin);
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.0.0");
    awaitRevision(1);
    setImage("registry.test/web:1.1.0");
    awaitRevision(2);
    setImage("registry.test/web:1.2.0");
    awaitRevision(3);
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void rollsBackToThePreviousRevision() throws Exception {
    RunRecord run = catalog.run("rollback-app", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.1.0");
    assertThat(((Number) run.outputs().get("revision")).longValue()).isEqualTo(2L);
  }

  @Test
  void rollsBackToAGivenVersion() throws Exception {
    RunRecord run =
        catalog.run("rollback-app", "app=web", "env=sandbox", "mode=version", "version=1.0.0");

    assertSucceeded(run);
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.0.0");
  }

  @Test
  void listsTheRevisionsWithoutChangingAnything() throws Exception {
    RunRecord run = catalog.run("rollback-app", "app=web", "env=sandbox", "mode=list");

    assertSucceeded(run);
    assertThat(run.outputs().get("revisions").toString()).contains("1=1.0.0", "2=1.1.0", "3=1.2.0");
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.2.0");
  }

  @Test
  void refusesAVersionThatNeverRanBeforeAnythingChanges() {
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "rollback-app", "app=web", "env=sandbox", "mode=version", "version=9.9.9")))
        .contains("version 9.9.9 is not in the rollout history of web in sandbox")
        .contains("1=1.0.0")
        .contains("nothing was changed");
    assertThat(
            String.join(
                "\n", catalog.invalid("rollback-app", "app=web", "env=sandbox", "mode=version")))
        .contains("mode=version needs version=X.Y.Z");
    assertThat(
            String.join(
                "\n", catalog.invalid("rollback-app", "app=web", "env=sandbox", "mode=yesterday")))
        .contains("mode");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "rollback-app", "app=web", "env=sandbox", "mode=version", "version=1.2.0")))
        .contains("already runs that revision");
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.2.0");
  }

  @Test
  void theDryRunNamesTheRevisionItWouldReturnTo() {
    assertThat(
            catalog.plan("rollback-app", "app=web", "env=sandbox", "mode=version", "version=1.1.0"))
        .contains("revision = 2");
  }

  private void setImage(String image) {
    controllers.setImage("web-sandbox", "web", image);
  }

  private void awaitRevision(int revision) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              var d =
                  catalog
                      .admin
                      .apps()
                      .deployments()
                      .inNamespace("web-sandbox")
                      .withName("web")
                      .get();
              return d.getMetadata().getAnnotations() != null
                  && String.valueOf(revision)
                      .equals(d.getMetadata().getAnnotations().get(Controllers.REVISION))
                  && d.getStatus() != null
                  && d.getStatus().getObservedGeneration() != null
                  && d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration());
            });
  }
}
