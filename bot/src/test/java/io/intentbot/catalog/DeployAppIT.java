package io.intentbot.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static io.intentbot.kubernetes.testing.ClusterObjects.container;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.kubernetes.testing.DeploymentController.Behaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-app from the real catalogue: git checks, version chaining, health, automatic rollback. */
class DeployAppIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;
  private static final String HEALTH_PATH = "/web-sandbox/healthz";
  private final WireMockServer health =
      new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private Git repo;

  @BeforeEach
  void start() throws Exception {
    health.start();
    health.stubFor(any(urlPathEqualTo(HEALTH_PATH)).willReturn(ok()));
    catalog =
        new CatalogFixture(
            root,
            "    health_url: \"http://127.0.0.1:" + health.port() + "/{namespace}/healthz\"\n",
            "http:\n  allow: [127.0.0.1]\n");
    controllers = new Controllers(catalog.admin);
    Path web = Files.createDirectories(root.resolve("repos/web"));
    repo = Git.init().setDirectory(web.toFile()).setInitialBranch("main").call();
    Files.writeString(web.resolve("app.txt"), "web\n");
    repo.add().addFilepattern(".").call();
    repo.commit()
        .setMessage("first")
        .setAuthor("t", "t@example.com")
        .setCommitter("t", "t@example.com")
        .call();
    repo.tag().setName("v1.4.0").call();
  }

  @AfterEach
  void stop() {
    repo.close();
    controllers.close();
    catalog.close();
    health.stop();
  }

  @Test
  void computesTheNextPatchFromTheDeployedImageOnceAndRollsItOut() throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.4.2");
    awaitRevision("web-sandbox", "web", "1");

    String plan = catalog.plan("deploy-app", "app=web", "env=sandbox");
    assertThat(plan).contains("registry.test/web:1.4.3");

    RunRecord run = catalog.run("deploy-app", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertThat(run.outputs())
        .containsEntry("version", "1.4.3")
        .containsEntry("previous_version", "1.4.2");
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.4.3");
    assertThat(health.findAll(anyRequestedFor(urlPathEqualTo(HEALTH_PATH)))).isNotEmpty();
    assertThat(catalog.step(run.id(), "git_clean").status()).isEqualTo(StepStatus.SUCCEEDED);
  }

  @Test
  void takesTheNextMinorFromGitTagsWhenNothingIsDeployedYetAndHonoursAnExplicitVersion()
      throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:latest");
    awaitRevision("web-sandbox", "web", "1");

    RunRecord minor = catalog.run("deploy-app", "app=web", "env=sandbox", "bump=minor");
    assertSucceeded(minor);
    assertThat(minor.outputs()).containsEntry("version", "1.5.0");

    RunRecord explicit = catalog.run("deploy-app", "app=web", "env=sandbox", "version=2.0.0");
    assertSucceeded(explicit);
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:2.0.0");
  }

  @Test
  void rollsBackAutomaticallyWhenTheNewVersionNeverBecomesHealthy() throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.4.2");
    awaitRevision("web-sandbox", "web", "1");
    controllers.unhealthy("registry.test/web:1.4.3");

    RunRecord run = catalog.run("deploy-app", "app=web", "env=sandbox", "timeout=1s");

    assertThat(run.status()).as(catalog.transcript(run.id())).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason())
        .as(catalog.transcript(run.id()))
        .contains("health")
        .contains("on_failure steps ran and succeeded");
    assertThat(catalog.step(run.id(), "undo").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(catalog.step(run.id(), "rolled_back").outputs().get("message").toString())
        .contains("1.4.3 was unhealthy")
        .contains("rolled back");
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.4.2");
  }

  @Test
  void aBadImageFailsWithTheDefaultTimeoutInSecondsWithThePodsReasonAndRollsBack()
      throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.4.2");
    awaitRevision("web-sandbox", "web", "1");
    controllers.failing("registry.test/web:1.4.3", Behaviour.IMAGE_PULL_BACK_OFF);
    long started = System.nanoTime();

    RunRecord run = catalog.run("deploy-app", "app=web", "env=sandbox");

    String transcript = catalog.transcript(run.id());
    assertThat(run.status()).as(transcript).isEqualTo(RunStatus.FAILED);
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .as("the default timeout is 5m; the bad image is told within the grace")
        .isLessThan(java.time.Duration.ofMinutes(1));
    // Like a kubelet, the stand-in reports ErrImagePull first and ImagePullBackOff from its next
    // look on; with a 1 s grace on the wall clock either may be the one that outlasts it.
    assertThat(transcript)
        .containsPattern("pod web-r2-0 container web: (ErrImagePull|ImagePullBackOff) for \\d+s")
        .contains("registry.test/web:1.4.3")
        .contains("Failed to pull image \"registry.test/web:1.4.3\"");
    assertThat(catalog.step(run.id(), "undo").status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.4.2");
  }

  @Test
  void deploysTheAppsContainerOfADeploymentWithASidecarOrTheOneNamed() throws Exception {
    controllers.deployment(
        "web-sandbox",
        "web",
        java.util.List.of(
            container("proxy", "envoy:1.30"), container("web", "registry.test/web:1.4.2")));
    awaitRevision("web-sandbox", "web", "1");

    RunRecord run = catalog.run("deploy-app", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("version", "1.4.3");
    assertThat(images()).containsExactly("envoy:1.30", "registry.test/web:1.4.3");

    RunRecord named =
        catalog.run("deploy-app", "app=web", "env=sandbox", "container=web", "version=2.0.0");
    assertSucceeded(named);
    assertThat(images()).containsExactly("envoy:1.30", "registry.test/web:2.0.0");
    RunRecord unknown =
        catalog.run("deploy-app", "app=web", "env=sandbox", "container=db", "version=2.0.1");
    assertThat(unknown.status()).isEqualTo(RunStatus.FAILED);
    assertThat(unknown.reason()).contains("no container 'db'");
  }

  private java.util.List<String> images() {
    return catalog
        .admin
        .apps()
        .deployments()
        .inNamespace("web-sandbox")
        .withName("web")
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .stream()
        .map(c -> c.getImage())
        .toList();
  }

  @Test
  void leavesTheFailedVersionInPlaceWhenAutoRollbackIsOff() throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.4.2");
    awaitRevision("web-sandbox", "web", "1");
    controllers.unhealthy("registry.test/web:1.4.3");

    RunRecord run =
        catalog.run("deploy-app", "app=web", "env=sandbox", "timeout=1s", "auto_rollback=false");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(catalog.step(run.id(), "undo").status()).isEqualTo(StepStatus.SKIPPED);
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.4.3");
  }

  @Test
  void refusesToDeployFromADirtyWorkingTreeBeforeTouchingTheCluster() throws Exception {
    controllers.deployment("web-sandbox", "web", "registry.test/web:1.4.2");
    awaitRevision("web-sandbox", "web", "1");
    Files.writeString(root.resolve("repos/web/app.txt"), "changed\n");

    RunRecord run = catalog.run("deploy-app", "app=web", "env=sandbox");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("git_clean").contains("app.txt");
    assertThat(controllers.image("web-sandbox", "web")).isEqualTo("registry.test/web:1.4.2");
  }

  @Test
  void refusesBadInputWithAClearMessage() {
    assertThat(String.join("\n", catalog.invalid("deploy-app", "app=shop", "env=sandbox")))
        .contains("app")
        .contains("web");
    assertThat(String.join("\n", catalog.invalid("deploy-app", "app=web", "env=moon")))
        .contains("env")
        .contains("sandbox");
    assertThat(
            String.join(
                "\n", catalog.invalid("deploy-app", "app=web", "env=sandbox", "version=latest")))
        .contains("version");
  }

  @Test
  void waitsForApprovalInProduction() throws Exception {
    controllers.deployment("web", "web", "registry.test/web:1.4.2");
    awaitRevision("web", "web", "1");

    Submission submission =
        catalog.submit("deploy-app", "U_DEV", false, "app=web", "env=production");

    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    assertThat(((Submission.AwaitingApproval) submission).plan().describe())
        .contains("registry.test/web:1.4.3");
  }

  private void awaitRevision(String namespace, String name, String revision) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () -> {
              var d =
                  catalog.admin.apps().deployments().inNamespace(namespace).withName(name).get();
              return d.getMetadata().getAnnotations() != null
                  && revision.equals(d.getMetadata().getAnnotations().get(Controllers.REVISION))
                  && d.getStatus() != null
                  && d.getStatus().getReadyReplicas() != null;
            });
  }
}
