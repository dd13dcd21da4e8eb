package io.intentbot.engine;

import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.leader.DatabaseLeadership;
import io.intentbot.engine.leader.Leadership;
import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunListener;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared engine: the one way Slack, the console and the CLI run intents.
 *
 * <pre>{@code
 * Engine engine = Engine.builder()
 *     .config(config).catalog(catalog).stepTypes(registry).auditStore(store)
 *     .listener(event -> log.info("{}", event))
 *     .build();                      // nothing runs yet
 * engine.addListener(slackThread);   // every listener joins before start
 * engine.start();                    // heartbeats and background duties
 * engine.recoverInterrupted();       // at start-up: runs of dead processes, told to the listeners
 * Submission s = engine.submit(RunRequest.of("deploy-app", List.of("app=web", "env=sandbox"), "U123"));
 * }</pre>
 *
 * <p>Its life: {@link Builder#build()} creates nothing running; {@link #start()} beats in the audit
 * store and starts the background duties (marking runs of silent processes interrupted, expiring
 * approval requests, renewing this process's leases), whichever adapter runs it; {@link #close()}
 * stops. Listeners are given before start, so no event is lost to a listener that joins late;
 * commands ({@link #submit}, {@link #approve}, ...) need a started engine, reads do not.
 *
 * <p>{@link #submit} validates the request (nothing is recorded when it is invalid), plans it,
 * applies the environment's approval policy and the intent's lock, records the run and starts it in
 * the background. Runs are followed through {@link RunListener}s and the {@link AuditStore}.
 */
public final class Engine implements AutoCloseable {

  private final io.intentbot.engine.internal.RunCoordinator coordinator;

  private Engine(Builder builder) {
    this.coordinator =
        new io.intentbot.engine.internal.RunCoordinator(
            Objects.requireNonNull(builder.config, "config"),
            Objects.requireNonNull(builder.catalog, "catalog"),
            Objects.requireNonNull(builder.stepTypes, "stepTypes"),
            Objects.requireNonNull(builder.auditStore, "auditStore"),
            builder.groupDirectory,
            builder.clock,
            builder.maxConcurrentRuns,
            builder.processTimeout,
            builder.expiryInterval,
            builder.listeners,
            builder.leadership,
            builder.secretKey,
            builder.secrets);
  }

  public static Builder builder() {
    return new Builder();
  }

  public IntentCatalog catalog() {
    return coordinator.catalog();
  }

  public IntentbotConfig config() {
    return coordinator.config();
  }

  public StepTypeRegistry stepTypes() {
    return coordinator.stepTypes();
  }

  public AuditStore audit() {
    return coordinator.audit();
  }

  /**
   * Starts the heartbeats and the background duties. Call it once, after every listener is added.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start() {
    coordinator.start();
  }

  /** Validates, plans and records a request; starts it unless it waits for approval. */
  public Submission submit(RunRequest request) {
    return coordinator.submit(request);
  }

  /**
   * Approves a run waiting for approval. Refused (with a {@link Refusal} that says who may approve)
   * for the requester, for users outside the policy, for expired requests and when the plan changed
   * since it was shown. The run starts once enough approvals are in, exactly once however many
   * arrive at the same time.
   */
  public Decision approve(String runId, String user) {
    return approve(runId, Actor.of(user));
  }

  /**
   * As {@link #approve(String, String)} by {@code actor}; from a terminal ({@code cli}, {@code
   * console}) only where the environment's {@code approval.from} includes {@code cli}. A refusal
   * for who asked is written to the access log.
   */
  public Decision approve(String runId, Actor actor) {
    return coordinator.approve(runId, actor);
  }

  /** Rejects a run waiting for approval; any approver or the requester may. */
  public Decision reject(String runId, String user, String reason) {
    return reject(runId, Actor.of(user), reason);
  }

  public Decision reject(String runId, Actor actor, String reason) {
    return coordinator.reject(runId, actor, reason);
  }

  /**
   * Acknowledges a break-glass run after the fact: an approver (never the requester, unless the
   * environment allows self-approval) confirms it was warranted; until then it needs review.
   */
  public Decision acknowledge(String runId, String user, String note) {
    return acknowledge(runId, Actor.of(user), note);
  }

  public Decision acknowledge(String runId, Actor actor, String note) {
    return coordinator.acknowledge(runId, actor, note);
  }

  /** Break-glass runs no approver has acknowledged yet, oldest first. */
  public List<RunRecord> awaitingReview() {
    return coordinator.awaitingReview();
  }

  /** Cancels a waiting or running run; the step in progress is interrupted. */
  public Decision cancel(String runId, String user) {
    return cancel(runId, Actor.of(user));
  }

  /**
   * Cancels as {@code actor}: the requester, an approver of the run's environment, or (with {@code
   * access:} rules) one of {@code admins:}.
   */
  public Decision cancel(String runId, Actor actor) {
    return coordinator.cancel(runId, actor);
  }

  /**
   * Cancels every run executing in this process, as {@code by} (who and why, e.g. {@code "os:alice
   * (SIGINT to intentbot run)"}: each is recorded {@code cancelled by <by> …}), through the steps'
   * own cancellation (no thread writing to the audit store is interrupted), and waits up to {@code
   * grace} for each to record its end and release its lock. For adapters that stop on a signal.
   * Returns the runs it cancelled (none: nothing ran here).
   */
  public List<String> cancelRunsHere(String by, Duration grace) {
    return coordinator.cancelRunsHere(by, grace);
  }

  /**
   * Who may do what, as the config says ({@code access:}, break-glass rights, {@code admins:});
   * adapters use it to show only what a user may run.
   */
  public AccessPolicy access() {
    return coordinator.access();
  }

  /** Refused attempts (who tried what, where, which rule refused), newest first. */
  public List<AccessEvent> refusedAttempts(int limit) {
    return coordinator.refusedAttempts(limit);
  }

  /**
   * Records that {@code actor} (an operating-system user) asked to act as {@code claimed} without
   * being in {@code trusted_os_users}, and returns the refusal to show.
   */
  public Refusal refuseIdentity(Actor actor, String claimed) {
    return coordinator.refuseIdentity(actor, claimed);
  }

  /**
   * Publishes {@link io.intentbot.engine.model.RunEvent.DecidedElsewhere} to the listeners for
   * every decision made from a terminal, in any process, from now on, looking every {@code
   * interval} (with several replicas, on the one leading that duty). Chat adapters call it so that
   * their cards never keep live buttons after such a decision. The same follower publishes {@link
   * io.intentbot.engine.model.RunEvent.FinishedElsewhere} once a run whose last approval came from
   * a terminal (and so ran there) has ended, so that its thread ends with its result.
   */
  public void followDecisionsMadeElsewhere(Duration interval) {
    coordinator.followDecisionsMadeElsewhere(interval);
  }

  /** Waits until the run is terminal (or the timeout passes) and returns it as stored. */
  public Optional<RunRecord> awaitFinished(String runId, Duration timeout)
      throws InterruptedException {
    return coordinator.awaitFinished(runId, timeout);
  }

  public Optional<RunRecord> run(String runId) {
    return coordinator.audit().findRun(runId);
  }

  public List<StepRecord> steps(String runId) {
    return coordinator.audit().steps(runId);
  }

  /** Newest first; {@code intent} may be null. */
  public List<RunRecord> history(String intent, int limit) {
    return coordinator.audit().recentRuns(intent, limit);
  }

  /**
   * Who among the replicas does background duties: the one given to {@link
   * Builder#leadership(Leadership)}, else database leases held for the process timeout. The engine
   * uses it for {@link Leadership#INTERRUPTED_RUNS} and {@link Leadership#APPROVAL_EXPIRY};
   * adapters use it for their own duties. Closed with the engine.
   */
  public Leadership leadership() {
    return coordinator.leadership();
  }

  /**
   * Adds a listener; only before {@link #start()}.
   *
   * @throws IllegalStateException after start
   */
  public void addListener(RunListener listener) {
    coordinator.addListener(listener);
  }

  /**
   * Marks runs whose process stopped (no heartbeat for the process timeout) as interrupted and
   * releases their locks; returns their ids. Call it at start-up, after {@link #start()}; the
   * engine's duties also do it after its heartbeats while it leads {@link
   * Leadership#INTERRUPTED_RUNS}. Safe to call from any process at any time: each run is marked
   * once.
   */
  public List<String> recoverInterrupted() {
    return coordinator.recoverInterrupted();
  }

  /**
   * Expires approval requests past their {@code expires_after}; returns the expired runs. The
   * engine's duties do it every {@link Builder#expiryInterval} while it leads {@link
   * Leadership#APPROVAL_EXPIRY}.
   */
  public List<RunRecord> expireApprovals() {
    return coordinator.expireApprovals();
  }

  /** Stops accepting runs, interrupts running ones, waits briefly for them to record it. */
  @Override
  public void close() {
    coordinator.close();
  }

  /** Fluent configuration of an {@link Engine}. */
  public static final class Builder {
    private IntentbotConfig config;
    private IntentCatalog catalog;
    private StepTypeRegistry stepTypes;
    private AuditStore auditStore;
    private GroupDirectory groupDirectory = GroupDirectory.NONE;
    private Clock clock = Clock.systemUTC();
    private int maxConcurrentRuns = 32;
    private Duration processTimeout = Duration.ofSeconds(30);
    private Duration expiryInterval = Duration.ofSeconds(15);
    private final List<RunListener> listeners = new ArrayList<>();
    private Leadership leadership;
    private String secretKey;
    private final List<String> secrets = new ArrayList<>();

    private Builder() {}

    public Builder config(IntentbotConfig config) {
      this.config = config;
      return this;
    }

    public Builder catalog(IntentCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder stepTypes(StepTypeRegistry stepTypes) {
      this.stepTypes = stepTypes;
      return this;
    }

    public Builder auditStore(AuditStore auditStore) {
      this.auditStore = auditStore;
      return this;
    }

    public Builder groupDirectory(GroupDirectory groupDirectory) {
      this.groupDirectory = Objects.requireNonNull(groupDirectory);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Threads that move runs along between steps (default 32). Runs are not limited by it: a run
     * waiting for a step, a timer or a lock holds no thread; a blocking step holds a step thread
     * while it executes.
     */
    public Builder maxConcurrentRuns(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentRuns must be at least 1, got " + max);
      }
      this.maxConcurrentRuns = max;
      return this;
    }

    /**
     * How long a process may be silent before its runs count as interrupted (default 30 s). The
     * engine beats three times as often.
     */
    public Builder processTimeout(Duration timeout) {
      if (timeout == null || timeout.toMillis() < 150) {
        throw new IllegalArgumentException("processTimeout must be at least 150ms, got " + timeout);
      }
      this.processTimeout = timeout;
      return this;
    }

    /** How often the duties look for approval requests past their expiry (default 15 s). */
    public Builder expiryInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("expiryInterval must be positive, got " + interval);
      }
      this.expiryInterval = interval;
      return this;
    }

    /**
     * Who among the replicas does background duties (default: {@link DatabaseLeadership} on the
     * audit store, leases held for the process timeout). The engine closes it when it closes.
     */
    public Builder leadership(Leadership leadership) {
      this.leadership = Objects.requireNonNull(leadership);
      return this;
    }

    /**
     * The key that encrypts the secret parameters of runs waiting for approval in the audit store
     * (AES-GCM; 16, 24 or 32 bytes in base64, as {@code INTENTBOT_SECRET_KEY} holds it), so a
     * restarted process or another replica can start them once approved. Without one (null or
     * blank, the default) they stay in this process's memory only: such a run can be approved only
     * here, and is cancelled once this process is gone.
     *
     * @throws IllegalArgumentException when the key is not 16, 24 or 32 bytes in base64
     */
    public Builder secretKey(String base64Key) {
      io.intentbot.engine.internal.SecretVault.check(base64Key);
      this.secretKey = base64Key;
      return this;
    }

    /**
     * Values every run masks wherever it shows text (step output, plans, refusals, errors, the
     * audit record), besides its own secret parameters and the datasources' passwords: the
     * adapter's credentials (a Slack bot token, a signing secret), the audit database's password.
     * Null and blank values are skipped. A step can still print such a value it got some other way
     * (a file, a command); it is masked there too, in its plain, base64, hex and URL forms.
     */
    public Builder secrets(Collection<String> values) {
      values.stream().filter(v -> v != null && !v.isBlank()).forEach(secrets::add);
      return this;
    }

    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Builds the engine; nothing runs until {@link Engine#start()}. */
    public Engine build() {
      return new Engine(this);
    }
  }
}
