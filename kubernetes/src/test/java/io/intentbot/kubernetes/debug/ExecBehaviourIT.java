package io.intentbot.kubernetes.debug;

import static io.intentbot.kubernetes.testing.ClusterObjects.runningPod;
import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.Kubelet;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A command that cannot start in the container says why, not just "exit code -1". */
class ExecBehaviourIT {

  private static final String NOT_FOUND =
      "Internal error occurred: error executing command in container: failed to exec in"
          + " container: failed to start exec: OCI runtime exec failed: exec failed: unable to"
          + " start container process: exec: \"nslookup\": executable file not found in $PATH";

  private MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    cluster
        .admin
        .pods()
        .inNamespace(NAMESPACE)
        .resource(runningPod("web-1", "web").build())
        .create();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void anExecutableMissingFromTheImageFailsTheStepWithTheApiServersMessage() throws Exception {
    Kubelet.expectExecFailure(
        cluster.server,
        NAMESPACE,
        "web-1",
        "command=nslookup&command=db&container=web&stdout=true&stderr=true",
        NOT_FOUND);

    StepResult result =
        new ExecStepType(cluster.access)
            .execute(
                with(
                    "pod",
                    "web-1",
                    "container",
                    "web",
                    "command",
                    List.of("nslookup", "db"),
                    "timeout",
                    "5s"),
                cluster.context());

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .contains("could not run")
        .contains("executable file not found in $PATH");
    assertThat(result.outputs()).containsEntry("exit_code", -1).containsEntry("message", NOT_FOUND);
  }
}
