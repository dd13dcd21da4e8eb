package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.intentbot.bot.slack.OutboxStore;
import io.intentbot.bot.slack.SlackBot;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.leader.DatabaseLeadership;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.kubernetes.leader.KubernetesLeadership;
import io.intentbot.kubernetes.leader.LeaderElectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack server's background duties follow the leadership its bootstrap chooses: the Kubernetes
 * Lease when configured for it (on fabric8's mock API server in CRUD mode), database leases
 * otherwise. The duty watched is draining the outbox: a run's thread reaches Slack only once this
 * replica leads.
 */
class ServerLeadershipIT {

  static final String NAMESPACE = "intentbot";

  @TempDir Path dir;
  FakeSlack slack;
  KubernetesMockServer cluster;
  final List<AutoCloseable> open = new ArrayList<>();

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
    Files.createDirectories(dir.resolve("intents"));
    Files.writeString(dir.resolve("intents").resolve("deploy-app.yaml"), TestIntents.DEPLOY);
    Files.writeString(dir.resolve("intentbot.yaml"), TestIntents.CONFIG);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    slack.close();
    cluster.destroy();
  }

  Map<String, String> env(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("INTENTBOT_CONFIG", dir.resolve("intentbot.yaml").toString());
    env.put("INTENTBOT_INTENTS", dir.resolve("intents").toString());
    env.put("INTENTBOT_DATA", dir.resolve("data").toString());
    return env;
  }

  /** What {@code serve} builds, on a fake Slack: the bootstrap, the engine, the Slack server. */
  record Served(Bootstrap boot, Engine engine, SignedRequests requests) {}

  Served serve(Map<String, String> env, Supplier<KubernetesClient> leaderClient) throws Exception {
    Bootstrap boot = new Bootstrap(new CommonOptions(), env, leaderClient);
    open.add(boot);
    var settings = new SlackBed(slack, dir, null).settings();
    Engine engine = boot.serverEngine(SlackBot.groupDirectory(settings));
    OutboxStore outbox = OutboxStore.open(boot.dbUrl(), boot.dbUser(), boot.dbPassword());
    open.add(outbox);
    SlackServer server = new SlackServer(engine, settings, outbox);
    open.add(server);
    engine.start();
    int port = server.start(0);
    return new Served(
        boot,
        engine,
        new SignedRequests(
            "http://127.0.0.1:" + port + SlackServer.EVENTS_PATH, SlackBed.SECRET, slack));
  }

  /** Runs deploy-app to its end and returns it; its thread is then in the outbox. */
  RunRecord deploy(Served served) throws Exception {
    served.requests().command("U0ALICE", SlackBed.CHANNEL, "deploy-app app=web env=sandbox");
    await().atMost(SlackBed.WAIT).until(() -> !served.engine().history(null, 1).isEmpty());
    String id = served.engine().history(null, 1).get(0).id();
    RunRecord run = served.engine().awaitFinished(id, SlackBed.WAIT).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    return run;
  }

  List<FakeSlack.Call> posted(RunRecord run) {
    return slack.calls("/api/chat.postMessage").stream()
        .filter(c -> String.valueOf(c.get("blocks")).contains(run.id()))
        .toList();
  }

  @Test
  void serveDrainsTheOutboxOnlyWhileItHoldsTheKubernetesLeaseWhenConfiguredForIt()
      throws Exception {
    KubernetesClient otherClient = cluster.createClient();
    open.add(otherClient);
    KubernetesLeadership other =
        KubernetesLeadership.start(
            otherClient,
            new LeaderElectionSettings(
                NAMESPACE,
                LeaderElectionSettings.DEFAULT_LEASE,
                "other-pod_1",
                Duration.ofSeconds(1),
                Duration.ofMillis(600),
                Duration.ofMillis(100)));
    open.add(other);
    await().atMost(Duration.ofSeconds(5)).until(() -> other.mayRun("slack-outbox"));

    Served served =
        serve(
            env(
                Map.of(
                    "INTENTBOT_LEADER_ELECTION", "kubernetes",
                    "POD_NAME", "this-pod",
                    "POD_NAMESPACE", NAMESPACE,
                    "INTENTBOT_LEADER_LEASE_DURATION", "1s",
                    "INTENTBOT_LEADER_RENEW_DEADLINE", "600ms",
                    "INTENTBOT_LEADER_RETRY_PERIOD", "100ms")),
            cluster::createClient);
    String me = "this-pod_" + ProcessHandle.current().pid();
    assertThat(served.engine().leadership()).isInstanceOf(KubernetesLeadership.class);
    assertThat(served.engine().leadership().describe())
        .contains("Kubernetes Lease intentbot/intentbot-leader", me);

    RunRecord run = deploy(served);
    Thread.sleep(500);
    assertThat(posted(run)).as("another replica leads: the thread waits in the outbox").isEmpty();

    other.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !posted(run).isEmpty());
    Lease lease =
        cluster.createClient().leases().inNamespace(NAMESPACE).withName("intentbot-leader").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(me);

    served.boot().close();
    assertThat(
            cluster
                .createClient()
                .leases()
                .inNamespace(NAMESPACE)
                .withName("intentbot-leader")
                .get()
                .getSpec()
                .getHolderIdentity())
        .as("released when the server stops")
        .isNullOrEmpty();
  }

  @Test
  void serveUsesDatabaseLeasesOutsideACluster() throws Exception {
    Map<String, String> env = env(Map.of());
    AuditStore elsewhere =
        AuditStores.open(new Bootstrap(new CommonOptions(), env).dbUrl(), null, null);
    open.add(elsewhere);
    Instant now = Instant.now();
    assertThat(elsewhere.holdLease("slack-outbox", "another-replica", now, now.plusSeconds(600)))
        .isTrue();

    Served served =
        serve(
            env,
            () -> {
              throw new AssertionError("outside a cluster no Kubernetes client is made");
            });
    assertThat(served.engine().leadership()).isInstanceOf(DatabaseLeadership.class);
    assertThat(served.engine().leadership().describe()).contains("database");

    RunRecord run = deploy(served);
    Thread.sleep(500);
    assertThat(posted(run)).as("another replica holds the outbox lease").isEmpty();

    elsewhere.releaseLease("slack-outbox", "another-replica");
    await().atMost(Duration.ofSeconds(5)).until(() -> !posted(run).isEmpty());
  }
}
