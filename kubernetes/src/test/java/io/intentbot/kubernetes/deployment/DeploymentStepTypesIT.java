package io.intentbot.kubernetes.deployment;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentStepTypesIT {

  private MockCluster cluster;
  private Deployment web;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    web =
        cluster
            .admin
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .resource(ClusterObjects.deployment("web", "registry/web:1.0.0", 3))
            .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Deployment current() {
    return cluster.admin.apps().deployments().inNamespace(NAMESPACE).withName("web").get();
  }

  @Test
  void setImageDescribesTheChangeThenReplacesOnlyThatImage() throws Exception {
    var step = new SetImageStepType(cluster.access);
    var input = with("deployment", "web", "container", "web", "image", "registry/web:1.1.0");
    String before = current().getMetadata().getResourceVersion();

    StepPlan plan = step.plan(input, cluster.dryRunContext());

    assertThat(plan.summary()).isEqualTo("Set images of deployment shop-staging/web");
    assertThat(plan.details())
        .containsExactly("container web: registry/web:1.0.0 -> registry/web:1.1.0");
    assertThat(current().getMetadata().getResourceVersion()).isEqualTo(before);

    RecordingStepContext context = cluster.context();
    StepResult result = step.execute(input, context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("images", Map.of("web", "registry/web:1.1.0", "proxy", "envoy:1.30"))
        .containsEntry(
            "previous_images", Map.of("web", "registry/web:1.0.0", "proxy", "envoy:1.30"))
        .containsEntry("changed", true);
    var containers = current().getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers)
        .extracting(c -> c.getImage())
        .containsExactly("registry/web:1.1.0", "envoy:1.30");
    assertThat(containers.get(0).getPorts()).hasSize(1);
    assertThat(context.text()).contains("container web: registry/web:1.0.0 -> registry/web:1.1.0");
  }

  @Test
  void setImageRefusesAnUnknownContainerAndChangesNothing() throws Exception {
    var step = new SetImageStepType(cluster.access);

    StepResult result =
        step.execute(with("deployment", "web", "images", Map.of("nope", "x:1")), cluster.context());

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).contains("no container 'nope'").contains("web", "proxy");
    assertThat(current().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry/web:1.0.0");
  }

  @Test
  void rolloutStatusWaitsForTheControllerAndReportsProgress() throws Exception {
    var step = new RolloutStatusStepType(cluster.access);
    long generation = current().getMetadata().getGeneration();
    setStatus(generation, 3, 1, 1, 0);
    cluster.time.schedule(() -> setStatus(generation, 3, 3, 2, 2), 150, TimeUnit.MILLISECONDS);
    cluster.time.schedule(() -> setStatus(generation, 3, 3, 3, 3), 300, TimeUnit.MILLISECONDS);
    RecordingStepContext context = cluster.context();

    StepResult result =
        cluster.time.run(
            step.executeAsync(
                with("deployment", "web", "timeout", "5s", "poll_interval", "20ms"),
                context,
                cluster.time));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("ready_replicas", 3)
        .containsEntry("available_replicas", 3);
    assertThat(context.lines())
        .contains(
            "web: 1/3 updated, 1/3 ready, 0/3 available, 2 old pending termination",
            "web: 3/3 updated, 3/3 ready, 3/3 available",
            "deployment shop-staging/web successfully rolled out");
  }

  @Test
  void rolloutStatusFailsAtTheTimeoutWhenPodsNeverBecomeReady() throws Exception {
    var step = new RolloutStatusStepType(cluster.access);
    setStatus(current().getMetadata().getGeneration(), 3, 3, 1, 1);

    StepResult result =
        cluster.time.run(
            step.executeAsync(
                with("deployment", "web", "timeout", "200ms", "poll_interval", "20ms"),
                cluster.context(),
                cluster.time));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "deployment shop-staging/web did not finish rolling out within 200ms: "
                + "3/3 updated, 1/3 ready, 1/3 available");
    assertThat(result.outputs()).containsEntry("ready_replicas", 1);
  }

  @Test
  void rolloutHistoryListsRevisionsNewestFirst() throws Exception {
    writeRevisions();
    var step = new RolloutHistoryStepType(cluster.access);

    StepResult result = step.execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> revisions =
        (List<Map<String, Object>>) result.outputs().get("revisions");
    assertThat(revisions).extracting(r -> r.get("revision")).containsExactly(3L, 2L, 1L);
    assertThat(revisions)
        .extracting(r -> r.get("image"))
        .containsExactly("registry/web:1.0.0", "registry/web:0.9.0", "registry/web:0.8.0");
    assertThat(revisions.get(0))
        .containsEntry("current", true)
        .containsEntry("replica_set", "web-rev3");
    assertThat(revisions.get(0).get("created")).asString().isNotEmpty();
    assertThat(result.outputs())
        .containsEntry("current_revision", 3L)
        .containsEntry("previous_revision", 2L);
  }

  @Test
  void rolloutUndoAppliesThePreviousRevisionsTemplate() throws Exception {
    writeRevisions();
    var step = new RolloutUndoStepType(cluster.access);
    String before = current().getMetadata().getResourceVersion();

    StepPlan plan = step.plan(with("deployment", "web"), cluster.dryRunContext());
    assertThat(plan.summary())
        .isEqualTo(
            "Roll back deployment shop-staging/web from revision 3 to revision 2 (registry/web:0.9.0, envoy:1.30)");
    assertThat(current().getMetadata().getResourceVersion()).isEqualTo(before);

    StepResult result = step.execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("from_revision", 3L)
        .containsEntry("to_revision", 2L);
    var template = current().getSpec().getTemplate();
    assertThat(template.getSpec().getContainers())
        .extracting(c -> c.getImage())
        .containsExactly("registry/web:0.9.0", "envoy:1.30");
    assertThat(template.getMetadata().getLabels()).containsOnlyKeys("app");
  }

  @Test
  void rolloutUndoToAMissingRevisionFailsAndChangesNothing() throws Exception {
    writeRevisions();
    var step = new RolloutUndoStepType(cluster.access);
    String before = current().getMetadata().getResourceVersion();

    StepPlan plan = step.plan(with("deployment", "web", "to_revision", 7), cluster.dryRunContext());
    StepResult result =
        step.execute(with("deployment", "web", "to_revision", "7"), cluster.context());

    assertThat(plan.summary())
        .contains("would fail: revision 7 does not exist (known revisions: [3, 2, 1])");
    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).contains("revision 7 does not exist");
    assertThat(current().getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void rolloutUndoToAGivenRevision() throws Exception {
    writeRevisions();
    var step = new RolloutUndoStepType(cluster.access);

    StepResult result =
        step.execute(with("deployment", "web", "to_revision", 1), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(current().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry/web:0.8.0");
  }

  @Test
  void theUndoGetsThroughTheCircuitTheFailedChangeOpened() throws Exception {
    writeRevisions();
    // the API server fails four reads in a row: the change fails, and its circuit opens
    cluster.api.drop("GET", "/deployments/web", 4, 500, null);
    var scale = new ScaleStepType(cluster.access);
    scale.execute(with("deployment", "web", "replicas", 5), cluster.context());
    StepResult refused = scale.execute(with("deployment", "web", "replicas", 5), cluster.context());
    assertThat(refused.reason()).contains("circuit open after repeated failures");

    // it answers again: the on_failure undo is tried at once, not refused for 30 s
    StepResult undo =
        new RolloutUndoStepType(cluster.access)
            .execute(with("deployment", "web"), cluster.context());

    assertThat(undo.success()).as(undo.reason()).isTrue();
    assertThat(undo.outputs()).containsEntry("to_revision", 2L);
    assertThat(scale.execute(with("deployment", "web", "replicas", 5), cluster.context()).reason())
        .as("other calls still wait for the circuit")
        .contains("circuit open after repeated failures");
  }

  @Test
  void scaleDescribesThenPatchesReplicas() throws Exception {
    var step = new ScaleStepType(cluster.access);

    StepPlan plan = step.plan(with("deployment", "web", "replicas", 5), cluster.dryRunContext());
    assertThat(plan.summary()).isEqualTo("Scale deployment shop-staging/web from 3 to 5 replicas");
    assertThat(current().getSpec().getReplicas()).isEqualTo(3);

    StepResult result = step.execute(with("deployment", "web", "replicas", "5"), cluster.context());

    assertThat(result.outputs())
        .containsEntry("previous_replicas", 3)
        .containsEntry("replicas", 5L);
    assertThat(current().getSpec().getReplicas()).isEqualTo(5);
    assertThat(current().getSpec().getTemplate().getSpec().getContainers()).hasSize(2);
  }

  @Test
  void restartSetsTheRestartedAtAnnotation() throws Exception {
    var step = new RestartStepType(cluster.access);

    StepPlan plan = step.plan(with("deployment", "web"), cluster.dryRunContext());
    assertThat(plan.summary()).contains("Restart deployment shop-staging/web", "3 pods");
    assertThat(current().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();

    StepResult result = step.execute(with("deployment", "web"), cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(current().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(RestartStepType.ANNOTATION, (String) result.outputs().get("restarted_at"));
    assertThat(current().getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("app", "web");
  }

  private void writeRevisions() {
    var rs = cluster.admin.apps().replicaSets().inNamespace(NAMESPACE);
    rs.resource(ClusterObjects.replicaSet(web, 1, "registry/web:0.8.0")).create();
    rs.resource(ClusterObjects.replicaSet(web, 2, "registry/web:0.9.0")).create();
    rs.resource(ClusterObjects.replicaSet(web, 3, "registry/web:1.0.0")).create();
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(
            d -> {
              d.getMetadata().setAnnotations(Map.of(ClusterObjects.REVISION, "3"));
              return d;
            });
  }

  private void setStatus(long generation, int replicas, int updated, int ready, int available) {
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .editStatus(
            d -> {
              d.setStatus(
                  ClusterObjects.deploymentStatus(generation, replicas, updated, ready, available));
              return d;
            });
  }

  @Test
  void rolloutStatusStopsWhenInterrupted() throws Exception {
    var step = new RolloutStatusStepType(cluster.access);
    var outcome = new java.util.concurrent.CompletableFuture<Object>();
    Thread runner =
        new Thread(
            () -> {
              try {
                outcome.complete(
                    step.execute(
                        with("deployment", "web", "timeout", "1m", "poll_interval", "20ms"),
                        cluster.context()));
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    runner.start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> cluster.time.pending() > 0);
    runner.interrupt();

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void rolloutStatusWaitsWithoutAThreadAndStopsLookingWhenCancelled() throws Exception {
    var step = new RolloutStatusStepType(cluster.access);
    RecordingStepContext context = cluster.context();

    var running =
        step.executeAsync(
            with("deployment", "web", "timeout", "1m", "poll_interval", "20ms"),
            context,
            cluster.time);
    cluster.time.advance(java.time.Duration.ofMillis(100));

    assertThat(running).isNotDone();
    assertThat(cluster.time.pending()).as("the next look, and nothing running").isEqualTo(1);
    running.cancel(true);
    assertThat(cluster.time.pending()).isZero();
    assertThat(running).isCancelled();
  }
}
