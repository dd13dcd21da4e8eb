package io.intentbot.kubernetes.debug;

import static io.intentbot.kubernetes.testing.ClusterObjects.containerStatus;
import static io.intentbot.kubernetes.testing.ClusterObjects.runningPod;
import static io.intentbot.kubernetes.testing.ClusterObjects.terminated;
import static io.intentbot.kubernetes.testing.ClusterObjects.waiting;
import static io.intentbot.kubernetes.testing.MockCluster.NAMESPACE;
import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.testing.Kubelet;
import io.intentbot.kubernetes.testing.MockCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DebugStepTypesIT {

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

  private void expectExec(String pod, String query, int exitCode, String stdout) {
    Kubelet.expectExec(cluster.server, NAMESPACE, pod, query, exitCode, stdout, "");
  }

  @Test
  void execReturnsStdoutAndExitCode() throws Exception {
    expectExec(
        "web-1", "command=ls&command=-l&container=web&stdout=true&stderr=true", 0, "total 0\n");
    var step = new ExecStepType(cluster.access);
    var input =
        with(
            "selector",
            "app=web",
            "container",
            "web",
            "command",
            List.of("ls", "-l"),
            "timeout",
            "5s");

    assertThat(step.plan(input, cluster.dryRunContext()).summary())
        .isEqualTo(
            "Run [ls, -l] in the first running pod in shop-staging matching {app=web} container web (timeout 5s)");
    StepResult result = step.execute(input, cluster.context());

    assertThat(result.success()).as(result.reason() + " " + result.outputs()).isTrue();
    assertThat(result.outputs())
        .containsEntry("pod", "web-1")
        .containsEntry("exit_code", 0)
        .containsEntry("stdout", "total 0\n");
  }

  @Test
  void execSplitsACommandLineIntoArgumentsKeepingQuotedWords() throws Exception {
    expectExec(
        "web-1",
        "command=cat&command=%2Fdata%2Fmy%20file&command=%24HOME&container=web&stdout=true&stderr=true",
        0,
        "hello\n");
    var step = new ExecStepType(cluster.access);
    var input = with("pod", "web-1", "container", "web", "command", "cat '/data/my file' $HOME");

    assertThat(step.plan(input, cluster.dryRunContext()).summary())
        .startsWith("Run [cat, /data/my file, $HOME] in ");
    StepResult result = step.execute(input, cluster.context());

    assertThat(result.success()).as(result.reason() + " " + result.outputs()).isTrue();
    assertThat(result.outputs()).containsEntry("stdout", "hello\n");
  }

  @Test
  void execRefusesAnUnclosedQuoteWithoutRunningAnything() throws Exception {
    var step = new ExecStepType(cluster.access);

    StepResult result =
        step.execute(with("pod", "web-1", "command", "cat '/data/my file"), cluster.context());

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo("the command has an unclosed quote ' in: cat '/data/my file");
  }

  @Test
  void execFailsOnANonZeroExitCodeAndCapsOutput() throws Exception {
    Kubelet.expectExec(
        cluster.server,
        NAMESPACE,
        "web-1",
        "command=cat&command=%2Fdata&container=web&stdout=true&stderr=true",
        2,
        "0123456789abcdef",
        "oops");
    var step = new ExecStepType(cluster.access);

    StepResult result =
        step.execute(
            with("pod", "web-1", "command", List.of("cat", "/data"), "max_output", 10),
            cluster.context());

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("command [cat, /data] exited with code 2");
    assertThat(result.outputs())
        .containsEntry("exit_code", 2)
        .containsEntry("stdout", "0123456789")
        .containsEntry("stderr", "oops")
        .containsEntry("truncated", true);
  }

  @Test
  void logsTailsTheContainerLog() throws Exception {
    Kubelet.expectLogs(
        cluster.server,
        NAMESPACE,
        "web-1",
        "pretty=false&container=web&sinceSeconds=900&tailLines=2",
        "line one\nline two\n");
    var step = new LogsStepType(cluster.access);
    var input = with("pod", "web-1", "container", "web", "tail", 2, "since", "15m");

    assertThat(step.plan(input, cluster.dryRunContext()).summary())
        .isEqualTo("Show the last 2 log lines of shop-staging/web-1 from the last 15m");
    var context = cluster.context();
    StepResult result = step.execute(input, context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("lines", 2L)
        .containsEntry("logs", "line one\nline two\n");
    assertThat(context.lines()).containsExactly("line one", "line two");
  }

  @Test
  void podsReportsPhaseReadinessRestartsAndReasons() throws Exception {
    Pod crashing = runningPod("web-2", "web").build();
    crashing
        .getStatus()
        .setContainerStatuses(
            List.of(
                containerStatus("web", false, 7)
                    .withState(waiting("CrashLoopBackOff"))
                    .withLastState(terminated("OOMKilled", 137))
                    .build()));
    cluster.admin.pods().inNamespace(NAMESPACE).resource(crashing).create();
    cluster
        .admin
        .pods()
        .inNamespace(NAMESPACE)
        .withName("web-1")
        .editStatus(
            p -> {
              p.getStatus().setContainerStatuses(List.of(containerStatus("web", true, 0).build()));
              return p;
            });
    var step = new PodsStepType(cluster.access);

    StepResult result = step.execute(with("selector", Map.of("app", "web")), cluster.context());

    assertThat(result.outputs())
        .containsEntry("total", 2)
        .containsEntry("ready", 1)
        .containsEntry("not_ready", 1)
        .containsEntry("namespace_exists", false);
    @SuppressWarnings("unchecked")
    var rows = (List<Map<String, Object>>) result.outputs().get("pods");
    assertThat(rows.get(1))
        .containsEntry("name", "web-2")
        .containsEntry("restarts", 7)
        .containsEntry("ready", false)
        .containsEntry(
            "reasons", List.of("web: CrashLoopBackOff", "web: last terminated OOMKilled"));
  }

  @Test
  void networkCheckRunsInADebugPodThatIsAlwaysDeleted() throws Exception {
    String pod = "netcheck-r-test-step";
    expectExec(
        pod,
        "command=nslookup&command=db&container=check&stdout=true&stderr=true",
        0,
        "Server: 10.0.0.10\nAddress: 10.0.0.10:53\n\nName: db.shop-staging.svc.cluster.local\nAddress: 10.1.2.3\n");
    expectExec(
        pod,
        "command=nc&command=-z&command=-w&command=1&command=db&command=5432&container=check&stdout=true&stderr=true",
        1,
        "");
    // The kubelet, on the step's virtual time: the debug pod exists by then (created at once).
    cluster.time.schedule(
        () -> {
          var pods = cluster.admin.pods().inNamespace(NAMESPACE);
          pods.withName(pod)
              .editStatus(
                  p -> {
                    p.setStatus(
                        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                            .withPhase("Running")
                            .build());
                    return p;
                  });
        },
        20,
        TimeUnit.MILLISECONDS);
    var step = new NetworkCheckStepType(cluster.access);
    var input =
        with(
            "targets",
            List.of(Map.of("dns", "db"), Map.of("tcp", "db:5432")),
            "timeout",
            "1s",
            "poll_interval",
            "20ms",
            "start_timeout",
            "5s");

    var plan = step.plan(input, cluster.dryRunContext());
    assertThat(plan.summary())
        .isEqualTo(
            "Check 2 network targets from a debug pod shop-staging/netcheck-r-test-step (busybox:1.36), deleted afterwards");
    assertThat(plan.details())
        .containsExactly("dns db  $ nslookup db", "tcp db:5432  $ nc -z -w 1 db 5432");
    assertThat(cluster.admin.pods().inNamespace(NAMESPACE).withName(pod).get()).isNull();

    var context = cluster.context();
    StepResult result = cluster.time.run(step.executeAsync(input, context, cluster.time));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("network checks failed: tcp db:5432");
    @SuppressWarnings("unchecked")
    var results = (List<Map<String, Object>>) result.outputs().get("results");
    assertThat(results.get(0))
        .containsEntry("ok", true)
        .containsEntry("detail", "resolved to 10.1.2.3");
    assertThat(results.get(0).get("latency_ms")).isInstanceOf(Long.class);
    assertThat(results.get(1)).containsEntry("ok", false).containsEntry("detail", "exit code 1");
    assertThat(cluster.admin.pods().inNamespace(NAMESPACE).withName(pod).get()).isNull();
    assertThat(context.lines()).contains("deleted debug pod shop-staging/netcheck-r-test-step");
  }

  @Test
  void theDebugPodStatesItsRequestsSoACpuAndMemoryQuotaWithoutALimitRangeAdmitsIt()
      throws Exception {
    cluster
        .admin
        .resourceQuotas()
        .inNamespace(NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                .withNewMetadata()
                .withName("compute")
                .endMetadata()
                .withNewSpec()
                .addToHard("requests.cpu", new io.fabric8.kubernetes.api.model.Quantity("4"))
                .addToHard("limits.memory", new io.fabric8.kubernetes.api.model.Quantity("8Gi"))
                .endSpec()
                .build())
        .create();
    String pod = "netcheck-r-test-step";
    expectExec(
        pod,
        "command=nslookup&command=db&container=check&stdout=true&stderr=true",
        0,
        "Name: db.shop-staging.svc.cluster.local\nAddress: 10.1.2.3\n");
    cluster.time.schedule(
        () ->
            cluster
                .admin
                .pods()
                .inNamespace(NAMESPACE)
                .withName(pod)
                .editStatus(
                    p -> {
                      p.setStatus(
                          new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                              .withPhase("Running")
                              .build());
                      return p;
                    }),
        20,
        TimeUnit.MILLISECONDS);

    StepResult result =
        cluster.time.run(
            new NetworkCheckStepType(cluster.access)
                .executeAsync(
                    with(
                        "targets",
                        List.of(Map.of("dns", "db")),
                        "poll_interval",
                        "20ms",
                        "start_timeout",
                        "5s"),
                    cluster.context(),
                    cluster.time));

    // without requests and limits: pods "netcheck-r-test-step" is forbidden: failed quota:
    // compute: must specify limits.memory for: check; requests.cpu for: check
    assertThat(result.success()).as(result.reason()).isTrue();
  }

  @Test
  void networkCheckChecksHttpFromAnExistingPod() throws Exception {
    cluster
        .server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + NAMESPACE
                + "/pods/web-1/exec?command=wget&command=-q&command=-S&command=-O&command=%2Fdev%2Fnull&command=-T&command=5&command=http%3A%2F%2Fapi%2Fhealthz&container=web&stdout=true&stderr=true")
        .andUpgradeToWebSocket()
        .open()
        .waitFor(10)
        .andEmit(new ErrorStreamMessage("  HTTP/1.1 200 OK\n  Content-Type: text/plain\n"))
        .waitFor(40)
        .andEmit(new StatusStreamMessage(0))
        .expect("stdin that never comes")
        .andEmit(new OutputStreamMessage(""))
        .once()
        .done()
        .always();
    var step = new NetworkCheckStepType(cluster.access);

    StepResult result =
        step.execute(
            with(
                "pod",
                "web-1",
                "method",
                "exec",
                "targets",
                List.of(Map.of("http", "http://api/healthz", "expect_status", 200))),
            cluster.context());

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("ok", 1).containsEntry("failed", 0);
    assertThat(cluster.admin.pods().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
  }
}
