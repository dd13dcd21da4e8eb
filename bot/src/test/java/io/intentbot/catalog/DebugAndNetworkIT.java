package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static io.intentbot.kubernetes.testing.ClusterObjects.containerStatus;
import static io.intentbot.kubernetes.testing.ClusterObjects.runningPod;
import static io.intentbot.kubernetes.testing.ClusterObjects.terminated;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.kubernetes.testing.EphemeralContainers;
import io.intentbot.kubernetes.testing.Kubelet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * debug-pod and network-diagnose through to the pod: the mock API server answers exec (over its
 * websocket protocol) and log requests the way the kubelet would, and serves ephemeral containers
 * (or refuses them as RBAC would).
 */
class DebugAndNetworkIT {

  @TempDir Path root;
  private CatalogFixture catalog;

  @BeforeEach
  void start() {
    catalog = new CatalogFixture(root);
    catalog
        .admin
        .pods()
        .inNamespace("web-sandbox")
        .resource(
            runningPod("web-1", "web")
                .editStatus()
                .addToContainerStatuses(
                    containerStatus("web", true, 3)
                        .withLastState(terminated("OOMKilled", 137))
                        .build())
                .endStatus()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    catalog.close();
  }

  @Test
  void debugPodReturnsStdoutStderrExitCodeLogsAndRestartReasons() throws Exception {
    exec(
        "command=ls&command=-l&command=%2Fdata%2Fmy%20dir&container=web&stdout=true&stderr=true",
        2, "total 0\n", "ls: /data/x: denied\n");
    Kubelet.expectLogs(
        catalog.server,
        "web-sandbox",
        "web-1",
        "pretty=false&container=web&tailLines=20",
        "started\nlistening on 3000\n");

    RunRecord run =
        catalog.run(
            "debug-pod",
            "app=web",
            "env=sandbox",
            "command=ls -l '/data/my dir'",
            "container=web",
            "tail=20");

    assertSucceeded(run);
    assertThat(run.outputs())
        .containsEntry("pod", "web-1")
        .containsEntry("stdout", "total 0\n")
        .containsEntry("stderr", "ls: /data/x: denied\n");
    assertThat(((Number) run.outputs().get("exit_code")).intValue()).isEqualTo(2);
    assertThat(run.outputs().get("restarts").toString()).contains("web-1: 3").contains("OOMKilled");
    assertThat(catalog.step(run.id(), "logs").outputText()).contains("listening on 3000");
  }

  @Test
  void debugPodRefusesShellSyntaxBeforeRunningAnything() {
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "debug-pod", "app=web", "env=sandbox", "command=ps aux | grep web")))
        .contains("command")
        .contains("no shell");
    assertThat(catalog.engine.history("debug-pod", 5)).isEmpty();
  }

  @Test
  void networkDiagnoseRefusesTargetsThatWouldReachItsToolsAsOptions() {
    for (String targets : new String[] {"-type=any", "db.internal,-lp:4444", "web,--help"}) {
      assertThat(
              String.join(
                  "\n",
                  catalog.invalid(
                      "network-diagnose", "app=web", "env=sandbox", "targets=" + targets)))
          .as(targets)
          .contains("targets");
    }
    assertThat(catalog.engine.history("network-diagnose", 5)).isEmpty();
  }

  @Test
  void debugPodOfADistrolessAppSaysTheCommandIsNotInTheImage() throws Exception {
    Kubelet.expectExecFailure(
        catalog.server,
        "web-sandbox",
        "web-1",
        "command=sh&container=web&stdout=true&stderr=true",
        NOT_FOUND.formatted("sh"));
    Kubelet.expectLogs(
        catalog.server,
        "web-sandbox",
        "web-1",
        "pretty=false&container=web&tailLines=50",
        "listening\n");

    RunRecord run = catalog.run("debug-pod", "app=web", "env=sandbox", "command=sh");

    assertThat(run.outputs()).containsEntry("message", NOT_FOUND.formatted("sh"));
    assertThat(((Number) run.outputs().get("exit_code")).intValue()).isEqualTo(-1);
    assertThat(catalog.step(run.id(), "exec").reason())
        .contains("could not run")
        .contains("exec: \"sh\": executable file not found in $PATH");
  }

  @Test
  void networkDiagnoseOfADistrolessAppChecksFromAnEphemeralDebugContainerAndSaysSo()
      throws Exception {
    for (String tool : new String[] {"nslookup", "nc"}) {
      Kubelet.expectExecFailure(
          catalog.server,
          "web-sandbox",
          "web-1",
          (tool.equals("nc") ? NC : NSLOOKUP) + "&container=web&stdout=true&stderr=true",
          NOT_FOUND.formatted(tool));
    }
    EphemeralContainers ephemeral = catalog.api.ephemeralContainers().startAfter(Duration.ZERO);

    Submission submission =
        catalog.submit(
            "network-diagnose",
            "U_DEV",
            false,
            "app=web",
            "env=sandbox",
            "targets=db.internal,db.internal:5432");
    String runId = ((Submission.Started) submission).run().id();
    // The kubelet's part, once the container is in the pod: its tools answer, then it runs.
    String debugger = awaitEphemeralContainer();
    exec(NSLOOKUP + "&container=" + debugger + "&stdout=true&stderr=true", 0, RESOLVED, "");
    exec(NC + "&container=" + debugger + "&stdout=true&stderr=true", 0, "", "");
    ephemeral.reconcile(catalog.admin, Clock.systemUTC());
    ephemeral.reconcile(catalog.admin, Clock.systemUTC());
    RunRecord run = catalog.finish(runId);

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("method", "ephemeral");
    assertThat(((Number) run.outputs().get("failed")).intValue()).isZero();
    assertThat(catalog.step(run.id(), "check").outputText())
        .contains("method: ephemeral debug container " + debugger + " (busybox:1.36)")
        .contains("resolved to 10.1.2.3");
  }

  private String awaitEphemeralContainer() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Pod pod = catalog.admin.pods().inNamespace("web-sandbox").withName("web-1").get();
      if (!pod.getSpec().getEphemeralContainers().isEmpty()) {
        return pod.getSpec().getEphemeralContainers().get(0).getName();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no ephemeral container was added to web-sandbox/web-1");
  }

  @Test
  void networkDiagnoseChecksEachTargetFromTheAppsPodAndNamesTheOneThatFails() throws Exception {
    catalog.api.ephemeralContainers().forbid();
    exec(
        "command=nslookup&command=db.internal&container=web&stdout=true&stderr=true",
        0,
        "Name: db.internal\nAddress: 10.1.2.3\n",
        "");
    exec(
        "command=nc&command=-z&command=-w&command=5&command=db.internal&command=5432&container=web&stdout=true&stderr=true",
        0,
        "",
        "");
    exec(
        "command=wget&command=-q&command=-S&command=-O&command=%2Fdev%2Fnull&command=-T&command=5&command=http%3A%2F%2Fweb.web-sandbox%2Fhealthz&container=web&stdout=true&stderr=true",
        1, "", "wget: server returned error: HTTP/1.1 503 Service Unavailable\n");

    RunRecord run =
        catalog.run(
            "network-diagnose",
            "app=web",
            "env=sandbox",
            "targets=db.internal,db.internal:5432,http://web.web-sandbox/healthz");

    assertThat(run.status()).as(catalog.transcript(run.id())).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("http://web.web-sandbox/healthz");
    String output = catalog.step(run.id(), "check").outputText();
    assertThat(output).contains("db.internal").contains("ms");
    assertThat(output)
        .contains("method: exec in container web of pod web-sandbox/web-1 (its own image);")
        .contains("not allowed to add ephemeral containers (403");
  }

  private static final String NSLOOKUP = "command=nslookup&command=db.internal";
  private static final String NC =
      "command=nc&command=-z&command=-w&command=5&command=db.internal&command=5432";
  private static final String RESOLVED = "Name: db.internal\nAddress: 10.1.2.3\n";
  private static final String NOT_FOUND =
      "Internal error occurred: error executing command in container: failed to exec in"
          + " container: failed to start exec: OCI runtime exec failed: exec failed: unable to"
          + " start container process: exec: \"%s\": executable file not found in $PATH";

  private void exec(String query, int exitCode, String stdout, String stderr) {
    Kubelet.expectExec(catalog.server, "web-sandbox", "web-1", query, exitCode, stdout, stderr);
  }
}
