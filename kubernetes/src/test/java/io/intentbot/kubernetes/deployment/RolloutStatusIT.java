package io.intentbot.kubernetes.deployment;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.ClusterObjects;
import io.intentbot.kubernetes.testing.DeploymentController;
import io.intentbot.kubernetes.testing.DeploymentController.Behaviour;
import io.intentbot.kubernetes.testing.Kubelet;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rollout-status against the test controllers (pods with container states, events, conditions,
 * observedGeneration late): it follows kubectl's rules and fails a rollout that cannot succeed at
 * once, with the reason, instead of at its timeout.
 */
class RolloutStatusIT {

  private MockCluster cluster;
  private DeploymentController controller;
  private RolloutStatusStepType step;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    controller = new DeploymentController(cluster.admin, cluster.time.clock()).watch(NAMESPACE);
    controller.every(cluster.time, Duration.ofSeconds(1));
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .resource(ClusterObjects.deployment("web", "registry/web:1.0.0", 3))
        .create();
    cluster.time.advance(Duration.ofSeconds(5));
    step = new RolloutStatusStepType(cluster.access);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Deployment current() {
    return cluster.admin.apps().deployments().inNamespace(NAMESPACE).withName("web").get();
  }

  private void setImage(String image) {
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  private StepResult rolloutStatus(RecordingStepContext context, Object... with) {
    return cluster.time.run(step.executeAsync(with(with), context, cluster.time));
  }

  @Test
  void theControllerRollsAGoodImageOutAndTheStepSeesItComplete() {
    assertThat(current().getStatus().getAvailableReplicas()).isEqualTo(3);
    setImage("registry/web:1.1.0");
    RecordingStepContext context = cluster.context();

    StepResult result = rolloutStatus(context, "deployment", "web");

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("revision", "2");
    assertThat(context.lines()).contains("deployment shop-staging/web successfully rolled out");
  }

  @Test
  void aBadImageFailsWithTheDefaultTimeoutInUnderAMinuteWithThePodReasonAndEvents() {
    controller.failing("registry/web:9.9.9", Behaviour.IMAGE_PULL_BACK_OFF);
    setImage("registry/web:9.9.9");
    Instant before = cluster.time.now();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web");

    assertThat(result.failed()).isTrue();
    assertThat(Duration.between(before, cluster.time.now())).isLessThan(Duration.ofMinutes(1));
    assertThat(Duration.between(before, cluster.time.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(result.reason())
        .contains("deployment shop-staging/web will not become ready")
        .contains("pod web-r2-0 container web: ImagePullBackOff")
        .contains("Back-off pulling image \"registry/web:9.9.9\"")
        .contains("latest events:")
        .contains("Failed: Failed to pull image \"registry/web:9.9.9\"");
    assertThat(result.outputs())
        .containsEntry("failed_pod", "web-r2-0")
        .containsEntry("failure_reason", "ImagePullBackOff");
  }

  @Test
  void aCrashLoopFailsAfterTheGraceWithThePreviousContainersLastLogLines() {
    controller.failing("registry/web:1.2.0", Behaviour.CRASH_LOOP_BACK_OFF);
    Kubelet.expectLogs(
        cluster.server,
        NAMESPACE,
        "web-r2-0",
        "pretty=false&container=web&previous=true&tailLines=20",
        "starting web\npanic: DATABASE_URL is not set\n");
    setImage("registry/web:1.2.0");
    RecordingStepContext context = cluster.context();

    StepResult result = rolloutStatus(context, "deployment", "web", "failure_grace", "10s");

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .contains("CrashLoopBackOff")
        .contains("last log lines: starting web | panic: DATABASE_URL is not set");
    assertThat(context.lines()).contains("log: panic: DATABASE_URL is not set");
    assertThat(result.outputs().get("elapsed").toString()).doesNotContain("m");
  }

  @Test
  void aMissingConfigSecretFailsAfterTheGraceWithTheKubeletsMessage() {
    controller.failing("registry/web:1.3.0", Behaviour.CREATE_CONTAINER_CONFIG_ERROR);
    setImage("registry/web:1.3.0");
    Instant before = cluster.time.now();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web");

    assertThat(result.failed()).isTrue();
    assertThat(Duration.between(before, cluster.time.now()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(30))
        .isLessThan(Duration.ofMinutes(1));
    assertThat(result.reason())
        .contains("pod web-r2-0 container web: CreateContainerConfigError")
        .contains("secret \"web-env\" not found");
    assertThat(result.outputs()).containsEntry("failure_reason", "CreateContainerConfigError");
  }

  @Test
  void anUnschedulablePodFailsAtOnceWithTheSchedulersMessage() {
    controller.failing("registry/web:2.0.0", Behaviour.UNSCHEDULABLE);
    setImage("registry/web:2.0.0");
    Instant before = cluster.time.now();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web");

    assertThat(result.failed()).isTrue();
    assertThat(Duration.between(before, cluster.time.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(result.reason())
        .contains("Unschedulable")
        .contains("0/3 nodes are available: 3 Insufficient cpu")
        .contains("FailedScheduling");
  }

  private void quota(Map<String, String> hard) {
    cluster
        .admin
        .resourceQuotas()
        .inNamespace(NAMESPACE)
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("compute")
                .endMetadata()
                .withNewSpec()
                .withHard(
                    hard.entrySet().stream()
                        .collect(
                            java.util.stream.Collectors.toMap(
                                Map.Entry::getKey, e -> new Quantity(e.getValue()))))
                .endSpec()
                .build())
        .create();
  }

  @Test
  void aQuotaThatRefusesThePodsFailsWithTheReplicaFailureCondition() {
    // the three running pods fill the quota: the surge pod of the new revision is refused
    quota(Map.of("pods", "3"));
    setImage("registry/web:2.1.0");
    Instant before = cluster.time.now();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web");

    assertThat(result.failed()).isTrue();
    assertThat(Duration.between(before, cluster.time.now())).isLessThan(Duration.ofMinutes(1));
    assertThat(result.reason())
        .contains("cannot create pods: FailedCreate")
        .contains(
            "pods \"web-r2-0\" is forbidden: exceeded quota: compute, requested: pods=1,"
                + " used: pods=3, limited: pods=3");
  }

  @Test
  void aComputeQuotaWithoutALimitRangeFailsTheRolloutNamingTheQuotasRefusal() {
    // a quota on cpu and memory made without intentbot's create-namespace: no LimitRange supplies
    // the requests and limits the app's containers do not state
    quota(Map.of("requests.cpu", "4", "limits.memory", "8Gi"));
    setImage("registry/web:2.2.0");
    Instant before = cluster.time.now();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web");

    assertThat(result.failed()).isTrue();
    assertThat(Duration.between(before, cluster.time.now())).isLessThan(Duration.ofMinutes(1));
    String refusal =
        "pods \"web-r2-0\" is forbidden: failed quota: compute: must specify limits.memory for:"
            + " proxy,web; requests.cpu for: proxy,web";
    assertThat(result.reason())
        .contains("deployment shop-staging/web cannot create pods: FailedCreate: " + refusal);
    var replicaSet =
        cluster.admin.apps().replicaSets().inNamespace(NAMESPACE).withName("web-r2").get();
    assertThat(replicaSet.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("ReplicaFailure");
              assertThat(c.getReason()).isEqualTo("FailedCreate");
              assertThat(c.getMessage()).isEqualTo(refusal);
            });
    assertThat(cluster.admin.v1().events().inNamespace(NAMESPACE).list().getItems())
        .anySatisfy(
            e -> {
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
              assertThat(e.getReason()).isEqualTo("FailedCreate");
              assertThat(e.getMessage()).isEqualTo("Error creating: " + refusal);
            });
  }

  @Test
  void aLeftoverProgressDeadlineExceededDoesNotFailTheNextRolloutBeforeTheControllerSawIt() {
    long generation = current().getMetadata().getGeneration();
    cluster
        .admin
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName("web")
        .editStatus(
            d -> {
              d.getStatus()
                  .setConditions(
                      List.of(
                          new DeploymentConditionBuilder()
                              .withType("Progressing")
                              .withStatus("False")
                              .withReason("ProgressDeadlineExceeded")
                              .withMessage("ReplicaSet \"web-r1\" has timed out progressing.")
                              .withLastUpdateTime(cluster.time.now().toString())
                              .withLastTransitionTime(cluster.time.now().toString())
                              .build()));
              d.getStatus().setObservedGeneration(generation);
              return d;
            });
    controller.observeAfter(Duration.ofSeconds(3));
    setImage("registry/web:1.1.0");

    StepResult result =
        rolloutStatus(cluster.context(), "deployment", "web", "poll_interval", "100ms");

    assertThat(result.success()).as(result.reason()).isTrue();
  }

  @Test
  void aRolloutIsFollowedByWatchesWithoutAGetPerLook() {
    setImage("registry/web:1.1.0");
    cluster.api.resetCount();

    StepResult result = rolloutStatus(cluster.context(), "deployment", "web", "resync", "30s");

    assertThat(result.success()).as(result.reason()).isTrue();
    List<String> requests = cluster.api.requests();
    assertThat(requests).filteredOn(r -> r.contains("watch=true")).hasSize(3);
    // the controller's own reads and writes aside, the step lists three times and never polls:
    // polling every 2 s read the Deployment once a look, i.e. about once per controller pass
    assertThat(requests)
        .filteredOn(r -> r.startsWith("GET") && r.contains("/deployments") && !r.contains("watch"))
        .filteredOn(r -> r.contains("fieldSelector"))
        .hasSize(1);
  }

  @Test
  void aFewSecondsOfApiErrorsDoNotFailTheRollout() {
    setImage("registry/web:1.1.0");
    assertThat(
            rolloutStatus(cluster.context(), "deployment", "web", "poll_interval", "100ms")
                .success())
        .isTrue();
    setImage("registry/web:1.2.0");
    // every attempt of one look (the retries included) fails, as in a short API server restart,
    // and the watches the step opened are closed by the server
    cluster.time.schedule(
        () -> {
          cluster.api.drop("GET", "/deployments", 3, 503, null);
          cluster.api.breakWatches();
        },
        1500,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    RecordingStepContext context = cluster.context();

    StepResult result = rolloutStatus(context, "deployment", "web");

    assertThat(result.success()).as(result.reason()).isTrue();
  }

  @Test
  void withoutPermissionToWatchItReadsInstead() {
    setImage("registry/web:1.1.0");
    cluster.api.drop("GET", "watch=true", 20, 403, null);
    cluster.api.drop("GET", "fieldSelector=metadata.name", 20, 403, null);
    RecordingStepContext context = cluster.context();

    StepResult result = rolloutStatus(context, "deployment", "web", "poll_interval", "500ms");

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(context.text()).contains("could not watch deployment shop-staging/web");
  }
}
