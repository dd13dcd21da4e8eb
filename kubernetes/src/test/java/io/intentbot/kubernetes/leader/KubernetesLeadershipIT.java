package io.intentbot.kubernetes.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.intentbot.kubernetes.testing.MockCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas electing their leader on fabric8's mock API server in CRUD mode. */
class KubernetesLeadershipIT {

  static final String NAMESPACE = "intentbot";
  static final Duration LEASE = Duration.ofSeconds(1);

  MockCluster cluster;
  final List<KubernetesClient> clients = new ArrayList<>();
  final List<KubernetesLeadership> replicas = new ArrayList<>();
  final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);

  @BeforeEach
  void start() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    ticks.shutdownNow();
    replicas.forEach(KubernetesLeadership::close);
    clients.forEach(KubernetesClient::close);
    cluster.close();
  }

  KubernetesLeadership replica(String name) {
    KubernetesClient client = cluster.server.createClient();
    clients.add(client);
    KubernetesLeadership replica =
        KubernetesLeadership.start(
            client,
            new LeaderElectionSettings(
                NAMESPACE,
                LeaderElectionSettings.DEFAULT_LEASE,
                name,
                LEASE,
                Duration.ofMillis(600),
                Duration.ofMillis(100)));
    replicas.add(replica);
    return replica;
  }

  String holder() {
    Lease lease =
        cluster
            .admin
            .leases()
            .inNamespace(NAMESPACE)
            .withName(LeaderElectionSettings.DEFAULT_LEASE)
            .get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Both replicas run the duty every 10 ms when they may; returns who ran it, in order. */
  List<String> runDuty(KubernetesLeadership a, KubernetesLeadership b) {
    List<String> ran = new CopyOnWriteArrayList<>();
    for (var replica : List.of(a, b)) {
      ticks.scheduleWithFixedDelay(
          () -> {
            if (replica.mayRun("approval-expiry")) {
              ran.add(replica.settings().identity());
            }
          },
          0,
          10,
          TimeUnit.MILLISECONDS);
    }
    return ran;
  }

  @Test
  void exactlyOneLeadsAndTheOtherTakesOverPromptlyWhenTheLeaderStops() throws Exception {
    KubernetesLeadership a = replica("pod-a_1");
    KubernetesLeadership b = replica("pod-b_1");
    List<String> ran = runDuty(a, b);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.mayRun("x") || b.mayRun("x"));
    KubernetesLeadership leader = a.mayRun("x") ? a : b;
    KubernetesLeadership other = leader == a ? b : a;
    String leaderId = leader.settings().identity();

    Thread.sleep(LEASE.toMillis() * 2);
    assertThat(other.mayRun("x")).as("the other replica does no duty").isFalse();
    assertThat(leader.mayRun("x")).as("the leader keeps renewing").isTrue();
    assertThat(holder()).isEqualTo(leaderId);
    assertThat(other.leader()).contains(leaderId);
    assertThat(ran).isNotEmpty().containsOnly(leaderId);

    long closed = System.nanoTime();
    leader.close();
    assertThat(leader.mayRun("x")).isFalse();
    await().atMost(LEASE).until(() -> other.mayRun("x"));
    assertThat(Duration.ofNanos(System.nanoTime() - closed))
        .as("a released Lease is taken within about a retry period, not a lease duration")
        .isLessThan(LEASE);
    assertThat(holder()).isEqualTo(other.settings().identity());
    int handOver = ran.size();
    Thread.sleep(200);
    // A snapshot first: the duty ticks keep adding to `ran`, and a subList of a
    // CopyOnWriteArrayList throws ConcurrentModificationException on its next use after any add.
    List<String> ranSoFar = List.copyOf(ran);
    assertThat(ranSoFar.subList(handOver, ranSoFar.size()))
        .isNotEmpty()
        .containsOnly(other.settings().identity());

    other.close();
    assertThat(holder()).as("released on close").isNullOrEmpty();
  }

  @Test
  void aLeaderCutOffFromTheApiStopsBeforeTheOtherTakesOverAfterTheLease() throws Exception {
    KubernetesLeadership a = replica("pod-a_1");
    await().atMost(Duration.ofSeconds(5)).until(() -> a.mayRun("x"));
    KubernetesLeadership b = replica("pod-b_1");
    List<Boolean> overlaps = new CopyOnWriteArrayList<>();
    ticks.scheduleWithFixedDelay(
        () -> overlaps.add(a.mayRun("x") && b.mayRun("x")), 0, 5, TimeUnit.MILLISECONDS);
    Thread.sleep(300);
    assertThat(b.mayRun("x")).isFalse();

    long cut = System.nanoTime();
    clients.get(0).close();
    await().atMost(Duration.ofSeconds(1)).until(() -> !a.mayRun("x"));
    assertThat(Duration.ofNanos(System.nanoTime() - cut))
        .as("the cut-off leader stops within the renew deadline")
        .isLessThan(LEASE);
    await().atMost(LEASE.multipliedBy(3)).until(() -> b.mayRun("x"));
    assertThat(Duration.ofNanos(System.nanoTime() - cut))
        .as("the other waits out the lease")
        .isGreaterThanOrEqualTo(LEASE.minusMillis(200));
    assertThat(holder()).isEqualTo("pod-b_1");
    assertThat(overlaps).isNotEmpty().doesNotContain(true);
  }

  @Test
  void settingsComeFromThePodsEnvironment() {
    LeaderElectionSettings settings =
        LeaderElectionSettings.from(
            Map.of(
                "POD_NAME", "intentbot-7d9f-x2x",
                "POD_NAMESPACE", "ops",
                "INTENTBOT_LEADER_RETRY_PERIOD", "1s"),
            "from-client");
    assertThat(settings.namespace()).isEqualTo("ops");
    assertThat(settings.leaseName()).isEqualTo("intentbot-leader");
    assertThat(settings.identity())
        .isEqualTo("intentbot-7d9f-x2x_" + ProcessHandle.current().pid());
    assertThat(settings.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.retryPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(LeaderElectionSettings.from(Map.of("HOSTNAME", "box"), "from-client"))
        .extracting(LeaderElectionSettings::namespace, s -> s.identity().startsWith("box_"))
        .containsExactly("from-client", true);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                LeaderElectionSettings.from(
                    Map.of("INTENTBOT_LEADER_RENEW_DEADLINE", "20s"), "default"))
        .hasMessageContaining("renew deadline < lease duration");
  }
}
