package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.intentbot.bot.testing.FakeSlack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} as a real process told to elect its leader on Kubernetes, against
 * fabric8's mock API server in CRUD mode through a kubeconfig: it takes the Lease as its pod name
 * and process id, says so in its log, and gives the Lease up when it is stopped.
 */
class ServeLeaderElectionIT {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  @TempDir Path dir;
  FakeSlack slack;
  KubernetesMockServer cluster;
  KubernetesClient admin;
  Process serve;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack();
    cluster =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    cluster.init();
    admin = cluster.createClient();
  }

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.destroyForcibly();
    }
    admin.close();
    cluster.destroy();
    slack.close();
  }

  Lease lease() {
    return admin.leases().inNamespace("intentbot").withName("intentbot-leader").get();
  }

  @Test
  void serveHoldsTheKubernetesLeaseAndReleasesItWhenStopped() throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{ name: mock, cluster: { server: "%s" } }]
        users: [{ name: mock, user: { token: test-token } }]
        contexts: [{ name: mock, context: { cluster: mock, user: mock, namespace: intentbot } }]
        current-context: mock
        """
            .formatted(admin.getMasterUrl().toString()));

    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    var env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("INTENTBOT_LEADER_ELECTION", "kubernetes");
    env.put("POD_NAME", "intentbot-abc12");
    env.put("INTENTBOT_LEADER_LEASE_DURATION", "2s");
    env.put("INTENTBOT_LEADER_RENEW_DEADLINE", "1s");
    env.put("INTENTBOT_LEADER_RETRY_PERIOD", "200ms");
    Path log = ServeProcess.log(dir);
    serve = builder.start();
    String me = "intentbot-abc12_" + serve.pid();

    // A JVM start, a migration and an election: seconds when idle, far more on two cores shared by
    // several builds (it once took over 30 s at load 20). The deadline is for a hang, not speed.
    await()
        .atMost(STARTUP)
        .failFast("serve exited", () -> !serve.isAlive())
        .until(() -> lease() != null && me.equals(lease().getSpec().getHolderIdentity()));
    assertThat(Files.readString(log))
        .contains(
            "background duties go to one replica at a time: Kubernetes Lease"
                + " intentbot/intentbot-leader")
        .contains("as " + me);

    await()
        .atMost(STARTUP)
        .alias("serving, its shutdown hook in place")
        .until(() -> Files.readString(log).contains("intentbot serving Slack on port"));
    serve.destroy();
    assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("serve stopped").isTrue();
    assertThat(lease().getSpec().getHolderIdentity())
        .as(
            "given up on shutdown, so another replica need not wait; its log:%n%s",
            Files.readString(log))
        .isNullOrEmpty();
  }
}
