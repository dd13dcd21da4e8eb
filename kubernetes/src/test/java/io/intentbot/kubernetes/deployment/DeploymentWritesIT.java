package io.intentbot.kubernetes.deployment;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.DeploymentController;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * set-image, rollout-undo and restart write as kubectl does: patches another writer (the controller
 * updating status between the step's read and its write) cannot make fail with 409, kubectl's
 * refusals of paused Deployments, change-cause, init containers and {@code *}.
 */
class DeploymentWritesIT {

  private static final String DEPLOYMENT_PATH =
      "/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments/web";

  private MockCluster cluster;
  private DeploymentController controller;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    controller = new DeploymentController(cluster.admin, cluster.time.clock()).watch(NAMESPACE);
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(ClusterObjects.deployment("web", "registry/web:1.0.0", 2))
        .create();
    settle();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void settle() {
    for (int i = 0; i < 5; i++) {
      controller.reconcile();
    }
  }

  private Deployment current() {
    return cluster.admin.apps().deployments().inNamespace(NAMESPACE).withName("web").get();
  }

  private List<String> images() {
    return current().getSpec().getTemplate().getSpec().getContainers().stream()
        .map(c -> c.getImage())
        .toList();
  }

  @Test
  void setImageSucceedsWhenTheControllerWritesBetweenItsReadAndItsWrite() throws Exception {
    cluster.api.concurrentWrite("PATCH", "/deployments/web", DEPLOYMENT_PATH);

    StepResult result =
        new SetImageStepType(cluster.access)
            .execute(with("deployment", "web", "image", "registry/web:1.1.0"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(images()).containsExactly("registry/web:1.1.0", "envoy:1.30");
    assertThat(current().getMetadata().getAnnotations())
        .containsKey("test.intentbot.io/touched")
        .containsEntry(
            SetImageStepType.CHANGE_CAUSE,
            "intentbot run "
                + cluster.context().runId()
                + " by "
                + cluster.context().requester()
                + ": set image web=registry/web:1.1.0");
  }

  @Test
  void setImagePicksTheContainerNamedLikeTheDeploymentAndTakesInitContainersAndStar()
      throws Exception {
    var step = new SetImageStepType(cluster.access);
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .setInitContainers(List.of(ClusterObjects.container("migrate", "web-migrate:1")));
              return d;
            });

    StepResult named =
        step.execute(with("deployment", "web", "image", "registry/web:1.2.0"), cluster.context());
    StepResult init =
        step.execute(
            with("deployment", "web", "container", "migrate", "image", "web-migrate:2"),
            cluster.context());

    assertThat(named.success()).as(named.reason()).isTrue();
    assertThat(images()).containsExactly("registry/web:1.2.0", "envoy:1.30");
    assertThat(init.success()).as(init.reason()).isTrue();
    assertThat(current().getSpec().getTemplate().getSpec().getInitContainers().get(0).getImage())
        .isEqualTo("web-migrate:2");

    StepResult all =
        step.execute(
            with("deployment", "web", "images", Map.of("*", "debug:1")), cluster.context());
    assertThat(all.success()).as(all.reason()).isTrue();
    assertThat(images()).containsExactly("debug:1", "debug:1");
  }

  @Test
  void undoSucceedsDespiteAConcurrentWriteAndRestoresTheRevisionsChangeCause() throws Exception {
    new SetImageStepType(cluster.access)
        .execute(with("deployment", "web", "image", "registry/web:1.1.0"), cluster.context());
    settle();
    cluster.api.concurrentWrite("PATCH", "/deployments/web", DEPLOYMENT_PATH);

    StepResult result =
        new RolloutUndoStepType(cluster.access)
            .execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(images()).containsExactly("registry/web:1.0.0", "envoy:1.30");
    assertThat(current().getMetadata().getAnnotations())
        .doesNotContainKey(SetImageStepType.CHANGE_CAUSE)
        .containsEntry(ClusterObjects.REVISION, "2");
    settle();
    assertThat(current().getMetadata().getAnnotations())
        .containsEntry(ClusterObjects.REVISION, "3");
  }

  @Test
  void undoAndRestartRefuseAPausedDeploymentAsKubectlDoes() throws Exception {
    new SetImageStepType(cluster.access)
        .execute(with("deployment", "web", "image", "registry/web:1.1.0"), cluster.context());
    settle();
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().setPaused(true);
              return d;
            });
    String before = current().getMetadata().getResourceVersion();

    StepResult undo =
        new RolloutUndoStepType(cluster.access)
            .execute(with("deployment", "web"), cluster.context());
    StepResult restart =
        new RestartStepType(cluster.access).execute(with("deployment", "web"), cluster.context());

    assertThat(undo.failed()).isTrue();
    assertThat(undo.reason()).contains("paused").contains("kubectl rollout resume");
    assertThat(restart.failed()).isTrue();
    assertThat(restart.reason()).contains("paused");
    assertThat(current().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void restartSucceedsDespiteAConcurrentWrite() throws Exception {
    cluster.api.concurrentWrite("PATCH", "/deployments/web", DEPLOYMENT_PATH);

    StepResult result =
        new RestartStepType(cluster.access).execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(current().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey(RestartStepType.ANNOTATION);
    cluster.time.advance(Duration.ofSeconds(1));
  }
}
