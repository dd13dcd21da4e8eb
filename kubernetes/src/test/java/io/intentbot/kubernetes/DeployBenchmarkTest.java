package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.json.Json;
import io.intentbot.kubernetes.deployment.RolloutStatusStepType;
import io.intentbot.kubernetes.testing.DeployBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deploy benchmark's figures come out: a healthy rollout is followed by watches (polling every
 * 2 s made 53 requests), and a bad image is told in well under a minute.
 */
class DeployBenchmarkTest {

  @Test
  void measuresRequestsPerDeployAndBadImageDetection() throws Exception {
    var figures = DeployBenchmark.measure();

    assertThat((Integer) figures.get("k8s_requests_per_deploy")).isBetween(1, 20);
    assertThat((Double) figures.get("bad_image_detect_s")).isBetween(30.0, 40.0);
    System.out.println("deploy benchmark: " + figures);
  }

  private static JsonNode yaml(String... path) throws Exception {
    return Json.YAML.readTree(Files.readString(Path.of("..", path)));
  }

  /**
   * The benchmark runs rollout-status on its defaults (5m timeout, 30 s resync, 30 s grace): that
   * is what the shipped deploy-app runs, so its bad_image_detect_s is deploy-app's. deploy-app
   * waits through lib/health-check, which passes only namespace, deployment, timeout (deploy-app's
   * 5m) and poll_interval (unused with watches); the shipped config sets no failure_grace.
   */
  @Test
  void theShippedDeployAppWaitsOnTheDefaultsTheBenchmarkMeasures() throws Exception {
    JsonNode deployApp = yaml("intents", "deploy-app.yaml");
    assertThat(deployApp.at("/parameters/timeout/default").asText()).isEqualTo("5m");
    JsonNode health = null;
    for (JsonNode step : deployApp.path("steps")) {
      if ("lib/health-check".equals(step.path("uses").asText())) {
        health = step;
      }
    }
    assertThat(health).as("deploy-app waits through lib/health-check").isNotNull();
    assertThat(health.at("/with/timeout").asText()).isEqualTo("${{ params.timeout }}");

    JsonNode rollout = null;
    for (JsonNode step : yaml("intents", "lib", "health-check.yaml").path("steps")) {
      if (RolloutStatusStepType.NAME.equals(step.path("type").asText())) {
        rollout = step;
      }
    }
    assertThat(rollout).isNotNull();
    Set<String> given = new TreeSet<>();
    rollout.path("with").fieldNames().forEachRemaining(given::add);
    assertThat(given)
        .containsExactlyInAnyOrder("namespace", "deployment", "timeout", "poll_interval");

    assertThat(
            yaml("config", "intentbot.yaml")
                .at("/kubernetes/rollout/failure_grace")
                .isMissingNode())
        .as("the shipped config keeps the 30 s failure grace")
        .isTrue();
  }
}
