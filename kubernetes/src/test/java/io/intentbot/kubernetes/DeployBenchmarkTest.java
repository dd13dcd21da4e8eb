package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.kubernetes.testing.DeployBenchmark;
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
}
