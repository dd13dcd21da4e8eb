package io.intentbot.kubernetes.debug;

import static io.intentbot.kubernetes.testing.ClusterObjects.runningPod;
import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.testing.Kubelet;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where network-check runs its checks in an existing pod: an ephemeral debug container as kubectl
 * debug adds one (the pod's image may have no tools), else exec in the pod's container, saying
 * which and why. The stand-in API server serves {@code pods/ephemeralcontainers} or refuses it as
 * RBAC or an old cluster would; its kubelet reports the container late, or fails to pull its image.
 * All on virtual time.
 */
class NetworkCheckMethodIT {

  private static final String DEBUGGER = "netcheck-r-test-step";
  private static final String NSLOOKUP = "command=nslookup&command=db";
  private static final String NC =
      "command=nc&command=-z&command=-w&command=1&command=db&command=5432";
  private static final String NOT_FOUND =
      "Internal error occurred: error executing command in container: failed to exec in"
          + " container: failed to start exec: OCI runtime exec failed: exec failed: unable to"
          + " start container process: exec: \"%s\": executable file not found in $PATH";

  private MockCluster cluster;
  private RecordingStepContext context;

  @BeforeEach
  void start() {
    cluster = new MockCluster();
    context = cluster.context();
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

  /** The app's image is distroless: an exec of the tools in its container cannot start. */
  private void distroless() {
    for (String[] tool : new String[][] {{"nslookup", NSLOOKUP}, {"nc", NC}}) {
      Kubelet.expectExecFailure(
          cluster.server, NAMESPACE, "web-1", query(tool[1], "web"), NOT_FOUND.formatted(tool[0]));
    }
  }

  private void answers(String container) {
    Kubelet.expectExec(
        cluster.server,
        NAMESPACE,
        "web-1",
        query(NSLOOKUP, container),
        0,
        "Name: db.shop-staging.svc.cluster.local\nAddress: 10.1.2.3\n",
        "");
    Kubelet.expectExec(cluster.server, NAMESPACE, "web-1", query(NC, container), 0, "", "");
  }

  private static String query(String command, String container) {
    return command + "&container=" + container + "&stdout=true&stderr=true";
  }

  private StepResult check(Object... more) {
    Object[] base = {
      "pod",
      "web-1",
      "targets",
      List.of(Map.of("dns", "db"), Map.of("tcp", "db:5432")),
      "timeout",
      "1s",
      "poll_interval",
      "500ms",
      "start_timeout",
      "20s"
    };
    Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return cluster.time.run(
        new NetworkCheckStepType(cluster.access).executeAsync(with(all), context, cluster.time));
  }

  private List<EphemeralContainer> ephemeralContainers() {
    Pod pod = cluster.admin.pods().inNamespace(NAMESPACE).withName("web-1").get();
    return pod.getSpec().getEphemeralContainers();
  }

  private boolean execedIn(String container) {
    return cluster.api.requests().stream()
        .anyMatch(r -> r.contains("/exec?") && r.contains("container=" + container + "&"));
  }

  @Test
  void aDistrolessPodIsCheckedFromAnEphemeralContainerWhoseStatusAppearsLate() {
    distroless();
    answers(DEBUGGER);
    cluster.ephemeral.startAfter(Duration.ofSeconds(2));
    cluster.runEphemeralContainers();

    StepResult result = check();

    assertThat(result.success()).as(result.reason() + " " + context.lines()).isTrue();
    assertThat(result.outputs())
        .containsEntry("method", "ephemeral")
        .containsEntry("ok", 2)
        .containsEntry("not_run", 0);
    assertThat(context.lines())
        .contains(
            "added ephemeral container " + DEBUGGER + " (busybox:1.36) to pod shop-staging/web-1",
            "ephemeral container " + DEBUGGER + ": ContainerCreating",
            "ephemeral container " + DEBUGGER + " is running")
        .anyMatch(
            line ->
                line.startsWith(
                    "method: ephemeral debug container "
                        + DEBUGGER
                        + " (busybox:1.36) in pod shop-staging/web-1, as kubectl debug adds one"));
    assertThat(execedIn("web")).isFalse();
    EphemeralContainer added = ephemeralContainers().get(0);
    assertThat(added.getName()).isEqualTo(DEBUGGER);
    assertThat(added.getCommand()).first().isEqualTo("sleep");
    assertThat(added.getTargetContainerName()).isNull();
    var security = added.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
  }

  @Test
  void theEphemeralContainerPassesANamespaceEnforcingTheRestrictedPodSecurityLevel() {
    cluster.ephemeral.enforceRestricted(NAMESPACE);
    answers(DEBUGGER);
    cluster.runEphemeralContainers();

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("method", "ephemeral");
  }

  @Test
  void theStandInsAdmissionRefusesAContainerWithoutTheRestrictedSecurityContext() {
    cluster.ephemeral.enforceRestricted(NAMESPACE);
    // a busybox of someone else's, without a security context, is what admission refuses
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    cluster
                        .admin
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withName("web-1")
                        .ephemeralContainers()
                        .patch(
                            PatchContext.of(PatchType.STRATEGIC_MERGE),
                            "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"debugger\","
                                + "\"image\":\"busybox:1.36\"}]}}")))
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining("runAsNonRoot != true");
    assertThat(ephemeralContainers()).isEmpty();
  }

  @Test
  void whereRbacForbidsEphemeralContainersTheChecksRunWithExecAndSayWhy() {
    cluster.ephemeral.forbid();
    answers("web");

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("method", "exec");
    assertThat(String.valueOf(result.outputs().get("method_reason")))
        .contains("403")
        .contains("cannot patch resource \"pods/ephemeralcontainers\"")
        .contains("RBAC must grant patch on pods/ephemeralcontainers");
    assertThat(context.lines())
        .anyMatch(
            line ->
                line.startsWith(
                        "method: exec in container web of pod shop-staging/web-1 (its own image);"
                            + " no ephemeral debug container: not allowed")
                    && line.contains("403"));
    assertThat(ephemeralContainers()).isEmpty();
  }

  @Test
  void onAClusterThatDoesNotServeEphemeralContainersTheChecksRunWithExecAndSaySo() {
    cluster.ephemeral.notServed();
    answers("web");

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("method", "exec");
    assertThat(String.valueOf(result.outputs().get("method_reason")))
        .contains("this cluster does not serve ephemeral containers");
  }

  @Test
  void anEphemeralImageThatCannotBePulledFallsBackToExecWithTheKubeletsReason() {
    cluster.ephemeral.pullFails("busybox:1.36");
    cluster.runEphemeralContainers();
    answers("web");

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("method", "exec");
    assertThat(String.valueOf(result.outputs().get("method_reason")))
        .contains("ephemeral container " + DEBUGGER + " cannot start: ")
        .contains("failed to pull and unpack image \"docker.io/library/busybox:1.36\"")
        .contains("stays listed in the pod");
    assertThat(ephemeralContainers()).hasSize(1);
  }

  @Test
  void anEphemeralContainerThatNeverReportsRunningFallsBackAfterTheStartTimeout() {
    answers("web");

    StepResult result = check("start_timeout", "5s");

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(String.valueOf(result.outputs().get("method_reason")))
        .contains("ephemeral container " + DEBUGGER + " was not running within 5s");
  }

  @Test
  void methodEphemeralFailsWithTheReasonInsteadOfFallingBack() {
    cluster.ephemeral.forbid();

    StepResult result = check("method", "ephemeral");

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .startsWith("no ephemeral debug container in pod shop-staging/web-1: not allowed")
        .contains("method: auto would fall back to exec");
    assertThat(cluster.api.requests()).noneMatch(r -> r.contains("/exec?"));
  }

  @Test
  void aDistrolessPodWithoutEphemeralContainersSaysTheChecksCouldNotRunAndHowToCheckInstead() {
    cluster.ephemeral.forbid();
    distroless();

    StepResult result = check();

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .startsWith(
            "2 of 2 checks could not run in container web of pod shop-staging/web-1 (could not"
                + " run: nslookup is not in the image (executable file not found in $PATH))")
        .contains("no ephemeral debug container: not allowed")
        .endsWith("; method: pod checks from a debug pod of its own instead")
        .doesNotContain("network checks failed");
    assertThat(result.outputs())
        .containsEntry("not_run", 2)
        .containsEntry("failed", 0)
        .containsEntry("ok", 0);
    @SuppressWarnings("unchecked")
    var results = (List<Map<String, Object>>) result.outputs().get("results");
    assertThat(results).allSatisfy(r -> assertThat(r).containsEntry("ran", false));
    assertThat(context.lines()).anyMatch(line -> line.startsWith("ERROR dns db "));
  }

  @Test
  void methodExecInADistrolessPodSaysWhereElseTheChecksCouldRun() {
    distroless();

    StepResult result = check("method", "exec");

    assertThat(result.reason())
        .startsWith("2 of 2 checks could not run in container web of pod shop-staging/web-1")
        .endsWith(
            "; method: exec was asked for; method: auto checks from an ephemeral debug container,"
                + " method: pod from a debug pod of its own");
    assertThat(cluster.ephemeral.patches()).isEmpty();
  }

  @Test
  void anEphemeralContainerTheApiServerRefusesFallsBackWithItsMessage() {
    // someone else's container already has the step's name, with another image: 422
    cluster
        .admin
        .pods()
        .inNamespace(NAMESPACE)
        .withName("web-1")
        .ephemeralContainers()
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"ephemeralContainers\":[{\"name\":\""
                + DEBUGGER
                + "\",\"image\":\"alpine:3.20\"}]}}");
    answers("web");

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(String.valueOf(result.outputs().get("method_reason")))
        .contains("the ephemeral container was refused (422:")
        .contains("existing ephemeral containers \"" + DEBUGGER + "\" may not be changed");
    assertThat(ephemeralContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("alpine:3.20"));
  }

  @Test
  void aPatchWhoseResponseWasLostIsSentAgainWithoutAddingASecondContainer() {
    cluster.api.loseResponse("PATCH", "/ephemeralcontainers");
    answers(DEBUGGER);
    cluster.runEphemeralContainers();

    StepResult result = check();

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("method", "ephemeral");
    assertThat(cluster.ephemeral.patches()).hasSize(2);
    assertThat(ephemeralContainers()).hasSize(1);
  }

  @Test
  void theMethodAndItsFallbackAreInThePlan() {
    var step = new NetworkCheckStepType(cluster.access);
    var targets = List.of(Map.of("dns", "db"));

    var dryRun = cluster.dryRunContext();

    assertThat(step.plan(with("selector", "app=web", "targets", targets), dryRun).summary())
        .isEqualTo(
            "Check 1 network targets from an ephemeral debug container "
                + DEBUGGER
                + " (busybox:1.36) added to a pod matching {app=web} (kubectl debug's way; it"
                + " stays listed in the pod, ended, until the pod is replaced), else with exec in"
                + " its default container where that is not allowed");
    assertThat(
            step.plan(
                    with("pod", "web-1", "container", "web", "method", "exec", "targets", targets),
                    dryRun)
                .summary())
        .isEqualTo(
            "Check 1 network targets from shop-staging/web-1 with exec in its container web (its"
                + " own image)");
    assertThat(cluster.ephemeral.patches()).isEmpty();
  }
}
