package io.intentbot.kubernetes.testing;

import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;

import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.deployment.RolloutStatusStepType;
import io.intentbot.kubernetes.deployment.SetImageStepType;
import io.intentbot.kubernetes.testing.DeploymentController.Behaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The deploy benchmark's figures, on the mock API server and the test controllers in virtual time
 * (so they do not depend on the machine): {@code k8s_requests_per_deploy}, the API requests the
 * step types make for set-image plus rollout-status of a healthy rollout whose pods take 30 s to
 * become ready (the controller's own requests not counted), and {@code bad_image_detect_s}, the
 * seconds from set-image of an image that cannot be pulled until rollout-status fails, with its
 * defaults (5m timeout, watches with a 30s resync, 30s grace). {@code bench/run deploy} prints
 * them.
 */
public final class DeployBenchmark {

  private DeployBenchmark() {}

  public static Map<String, Object> measure() throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("k8s_requests_per_deploy", deploy("registry/web:1.1.0", null).requests());
    Run bad = deploy("registry/web:9.9.9", Behaviour.IMAGE_PULL_BACK_OFF);
    if (bad.result().success()) {
      throw new IllegalStateException("the bad image rolled out");
    }
    figures.put("bad_image_detect_s", bad.seconds());
    return figures;
  }

  record Run(StepResult result, int requests, double seconds) {}

  private static Run deploy(String image, Behaviour behaviour) throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      DeploymentController controller =
          new DeploymentController(cluster.admin, cluster.time.clock())
              .watch(NAMESPACE)
              .startup(Duration.ofSeconds(30));
      int[] controllerRequests = {0};
      cluster.time.scheduleWithFixedDelay(
          () -> {
            int before = cluster.api.requests().size();
            controller.reconcile();
            controllerRequests[0] += cluster.api.requests().size() - before;
          },
          1,
          1,
          TimeUnit.SECONDS);
      cluster
          .admin
          .apps()
          .deployments()
          .inNamespace(NAMESPACE)
          .resource(ClusterObjects.deployment("web", "registry/web:1.0.0", 3))
          .create();
      cluster.time.advance(Duration.ofSeconds(40));
      if (behaviour != null) {
        controller.failing(image, behaviour);
      }
      int before = cluster.api.requests().size();
      int controllerBefore = controllerRequests[0];
      Instant start = cluster.time.now();
      new SetImageStepType(cluster.access)
          .execute(with("deployment", "web", "image", image), cluster.context());
      StepResult result =
          cluster.time.run(
              new RolloutStatusStepType(cluster.access)
                  .executeAsync(with("deployment", "web"), cluster.context(), cluster.time));
      int requests =
          cluster.api.requests().size() - before - (controllerRequests[0] - controllerBefore);
      double seconds = Duration.between(start, cluster.time.now()).toMillis() / 1000.0;
      return new Run(result, requests, seconds);
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println(io.intentbot.engine.json.Json.MAPPER.writeValueAsString(measure()));
  }
}
