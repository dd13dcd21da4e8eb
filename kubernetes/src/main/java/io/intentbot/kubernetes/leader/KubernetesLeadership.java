package io.intentbot.kubernetes.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import io.intentbot.engine.leader.Leadership;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Leadership} by a Kubernetes Lease: fabric8's leader election among the replicas, on the
 * {@code coordination.k8s.io/v1} Lease of {@link LeaderElectionSettings}. The leader does every
 * duty; the others none.
 *
 * <p>The leader stops doing duties as soon as it learns it lost the Lease, and at the latest when
 * it has not renewed it for the renew deadline (before the lease duration after which another
 * replica may take it). A replica that lost the Lease stands again. {@link #close()} gives the
 * Lease up, so that another replica takes over after one retry period instead of a lease duration.
 *
 * <pre>{@code
 * Leadership leadership = KubernetesLeadership.start(client, LeaderElectionSettings.from(env, ns));
 * Engine engine = Engine.builder()...leadership(leadership).build();
 * }</pre>
 *
 * <p>The client is the caller's; it must stay open until this is closed.
 */
public final class KubernetesLeadership implements Leadership {

  private static final Logger log = LoggerFactory.getLogger(KubernetesLeadership.class);

  private final KubernetesClient client;
  private final LeaderElectionSettings settings;
  private final ScheduledExecutorService restarts;
  private volatile boolean leading;
  private volatile long validUntil = System.nanoTime();
  private volatile String leader;
  private CompletableFuture<?> election;
  private int generation;
  private boolean closed;

  private KubernetesLeadership(KubernetesClient client, LeaderElectionSettings settings) {
    this.client = Objects.requireNonNull(client);
    this.settings = Objects.requireNonNull(settings);
    this.restarts =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "intentbot-leader");
              t.setDaemon(true);
              return t;
            });
  }

  /** Stands for election now; {@link #mayRun} turns true once this process holds the Lease. */
  public static KubernetesLeadership start(
      KubernetesClient client, LeaderElectionSettings settings) {
    KubernetesLeadership leadership = new KubernetesLeadership(client, settings);
    leadership.stand(0);
    return leadership;
  }

  /** True while this process leads and renewed the Lease within the renew deadline. */
  @Override
  public boolean mayRun(String duty) {
    return leading && System.nanoTime() - validUntil < 0;
  }

  /** The identity of the leader as last seen, if any. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader);
  }

  public LeaderElectionSettings settings() {
    return settings;
  }

  @Override
  public String describe() {
    return "Kubernetes Lease "
        + settings.namespace()
        + "/"
        + settings.leaseName()
        + " (lease "
        + settings.leaseDuration().toMillis()
        + " ms, renew deadline "
        + settings.renewDeadline().toMillis()
        + " ms, retry "
        + settings.retryPeriod().toMillis()
        + " ms) as "
        + settings.identity();
  }

  /** Starts a fresh elector (fabric8's stops for good once it lost), unless a newer one runs. */
  private synchronized void stand(int of) {
    if (closed || of != generation) {
      return;
    }
    int mine = ++generation;
    var config =
        new LeaderElectionConfigBuilder()
            .withName("intentbot")
            .withLock(
                new RenewalWatch(
                    new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity())))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(this::started, () -> stopped(mine), this::observed))
            .build();
    election = client.leaderElector().withConfig(config).build().start();
    election.whenComplete((ok, error) -> stopped(mine));
  }

  private void started() {
    leading = true;
    log.info("this replica ({}) now leads the background duties", settings.identity());
  }

  private void stopped(int of) {
    boolean was = leading;
    leading = false;
    if (was) {
      log.info("this replica ({}) no longer leads the background duties", settings.identity());
    }
    synchronized (this) {
      if (!closed && of == generation) {
        restarts.schedule(
            () -> stand(of), settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void observed(String identity) {
    leader = identity;
    log.debug("leader of {}: {}", settings.leaseName(), identity);
  }

  /** Stops standing and releases the Lease if this process holds it. */
  @Override
  public void close() {
    CompletableFuture<?> running;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      running = election;
    }
    if (running != null) {
      running.cancel(true);
    }
    leading = false;
    restarts.shutdownNow();
  }

  /** The Lease lock, noting when this process last wrote itself in as holder. */
  private final class RenewalWatch implements Lock {
    private final Lock lock;

    RenewalWatch(Lock lock) {
      this.lock = lock;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
      return lock.get(client);
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
      long before = System.nanoTime();
      lock.create(client, record);
      written(record, before);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
      long before = System.nanoTime();
      lock.update(client, record);
      written(record, before);
    }

    private void written(LeaderElectionRecord record, long before) {
      if (identity().equals(record.getHolderIdentity())) {
        validUntil = before + settings.renewDeadline().toNanos();
      }
    }

    @Override
    public String identity() {
      return lock.identity();
    }

    @Override
    public String describe() {
      return lock.describe();
    }
  }
}
