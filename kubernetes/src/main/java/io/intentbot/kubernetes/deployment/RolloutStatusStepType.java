package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import io.intentbot.kubernetes.ProgressLine;
import io.intentbot.kubernetes.Watched;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kubernetes.rollout-status}: waits until a Deployment's rollout is complete, by kubectl's
 * rules ({@code kubectl rollout status}): nothing is decided until the controller has observed the
 * latest spec ({@code status.observedGeneration >= metadata.generation}), then
 * ProgressDeadlineExceeded fails it, and it is complete when every replica is updated, no old one
 * is left and every updated one is available.
 *
 * <p>Beyond kubectl, it fails fast with the reason: a pod of the new ReplicaSet whose container
 * waits with ImagePullBackOff, ErrImagePull, CrashLoopBackOff or CreateContainerConfigError for
 * longer than {@code failure_grace} (30 s; config {@code kubernetes.rollout.failure_grace}), a pod
 * the scheduler reports Unschedulable, or a {@code ReplicaFailure} condition (e.g. a quota) fail
 * the step at once with the pod, the reason, the message, the pod's latest events and the last log
 * lines (of the previous container, for a crash loop). A read that fails after the API retries is
 * looked at again until the timeout rather than failing the rollout.
 *
 * <pre>{@code
 * with: { deployment: web, timeout: 5m, failure_grace: 30s, resync: 30s, poll_interval: 2s }
 * }</pre>
 *
 * <p>It waits with watches, as kubectl does (a LIST and a WATCH each of the Deployment, its
 * ReplicaSets and their pods): a look follows every change, every {@code resync} with none, and
 * when a grace runs out. Where it may not watch (no {@code watch} permission) or while a watch is
 * down, a look reads instead, every {@code poll_interval} in the first case.
 *
 * <p>Outputs: {@code replicas}, {@code updated_replicas}, {@code ready_replicas}, {@code
 * available_replicas}, {@code revision}, {@code elapsed}.
 */
public final class RolloutStatusStepType extends PollingStepType<RolloutStatusStepType.Input> {

  public static final String NAME = "kubernetes.rollout-status";

  /** The {@code with:} block. */
  public record Input(
      String namespace,
      String deployment,
      Duration timeout,
      Duration pollInterval,
      Duration failureGrace,
      Duration resync)
      implements Namespaced {}

  static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  /** How often a watched rollout is looked at with no change seen (a grace ends sooner). */
  static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

  public RolloutStatusStepType(ClusterAccess access) {
    super(NAME, "Wait until a Deployment's rollout is complete", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of(
            "replicas",
            "updated_replicas",
            "ready_replicas",
            "available_replicas",
            "revision",
            "elapsed",
            "failed_pod",
            "failure_reason",
            "events",
            "logs"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    String name = input.deployment();
    Polling polling = polling(input);
    String now =
        Deployments.find(cluster, name)
            .map(d -> "now " + progress(d))
            .orElse("it does not exist yet");
    return StepPlan.of(
        "Wait up to "
            + Durations.format(polling.timeout())
            + " for deployment "
            + cluster.ref(name)
            + " to roll out ("
            + now
            + ")");
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    String name = input.deployment();
    Polling polling = polling(input);
    Duration grace = grace(input, context);
    Instant start = poll.clock().instant();
    ProgressLine progress = new ProgressLine(context.output());
    PodFailures failures = new PodFailures(grace);
    java.util.function.BiFunction<Look, AsyncPoll.Wakeup, Optional<StepResult>> decide =
        (look, wakeup) ->
            decide(look, wakeup, cluster, name, start, poll, progress, failures, context);
    java.util.function.Function<Look, StepResult> timedOut =
        look -> timedOut(look, cluster, name, polling, start, poll);
    Watches watches = new Watches(cluster, name);
    Polling resyncing =
        new Polling(polling.timeout(), input.resync() == null ? DEFAULT_RESYNC : input.resync());
    return poll.watch(resyncing, watches::open, watches::look, decide, timedOut)
        .exceptionallyCompose(
            error -> {
              if (!(AsyncPoll.cause(error) instanceof Watched.Unavailable unavailable)) {
                return CompletableFuture.failedFuture(AsyncPoll.cause(error));
              }
              context
                  .output()
                  .line(
                      unavailable.getMessage()
                          + "; reading every "
                          + Durations.format(polling.interval())
                          + " instead");
              return poll.until(
                  polling,
                  () -> Look.read(cluster, name),
                  look -> decide.apply(look, when -> {}),
                  timedOut);
            });
  }

  /**
   * The Deployment, its ReplicaSets and their pods, each kept by a watch (what {@code kubectl
   * rollout status} waits with, plus the pods kubectl does not look at): three LISTs and three
   * WATCHes for a whole rollout instead of three GETs every look.
   */
  private static final class Watches {
    private final Cluster cluster;
    private final String name;
    private Watched<Deployment> deployment;
    private Watched<ReplicaSet> replicaSets;
    private Watched<Pod> pods;

    Watches(Cluster cluster, String name) {
      this.cluster = cluster;
      this.name = name;
    }

    /** One read of the Deployment for its selector, then the three watches started together. */
    List<Watched<?>> open(Runnable changed) {
      String ns = cluster.namespace();
      Deployment d = Deployments.require(cluster, name);
      Map<String, String> labels =
          d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
      deployment =
          Watched.of(
              cluster,
              "watch deployment " + cluster.ref(name),
              c -> c.apps().deployments().inNamespace(ns).withName(name),
              changed);
      replicaSets =
          Watched.of(
              cluster,
              "watch the replica sets of " + cluster.ref(name),
              c -> c.apps().replicaSets().inNamespace(ns).withLabels(labels),
              changed);
      pods =
          Watched.of(
              cluster,
              "watch the pods of " + cluster.ref(name),
              c -> c.pods().inNamespace(ns).withLabels(labels),
              changed);
      List<Watched<?>> all = List.of(deployment, replicaSets, pods);
      Watched.startAll(all);
      return all;
    }

    /**
     * From the watches while all three are up; while one lists and watches again (the API server
     * restarted, the watch expired) a look reads instead.
     */
    Look look() {
      if (!deployment.watching() || !replicaSets.watching() || !pods.watching()) {
        return Look.read(cluster, name);
      }
      Optional<Deployment> d = deployment.one();
      if (d.isEmpty()) {
        throw new ClusterAccessException("deployment " + cluster.ref(name) + " does not exist");
      }
      return new Look(
          d.get(),
          null,
          new Sight() {
            @Override
            public List<ReplicaSet> replicaSets(Deployment of) {
              return Deployments.owned(replicaSets.items(), of);
            }

            @Override
            public List<Pod> pods(ReplicaSet of) {
              return PodFailures.owned(pods.items(), of);
            }
          });
    }
  }

  /** How a look reaches the ReplicaSets and pods: from the watches, or by reading them. */
  interface Sight {
    List<ReplicaSet> replicaSets(Deployment deployment);

    List<Pod> pods(ReplicaSet replicaSet);

    static Sight reading(Cluster cluster) {
      return new Sight() {
        @Override
        public List<ReplicaSet> replicaSets(Deployment deployment) {
          return Deployments.replicaSets(cluster, deployment);
        }

        @Override
        public List<Pod> pods(ReplicaSet replicaSet) {
          return PodFailures.podsOf(cluster, replicaSet);
        }
      };
    }
  }

  private static Optional<StepResult> decide(
      Look look,
      AsyncPoll.Wakeup wakeup,
      Cluster cluster,
      String name,
      Instant start,
      AsyncPoll poll,
      ProgressLine progress,
      PodFailures failures,
      StepContext context) {
    if (look.error() != null) {
      progress.report(name + ": the API server did not answer (" + look.error() + ")");
      return Optional.empty();
    }
    Deployment deployment = look.deployment();
    progress.report(name + ": " + progress(deployment));
    Map<String, Object> outputs = outputs(deployment, start, poll.clock());
    if (!observed(deployment)) {
      return Optional.empty();
    }
    Optional<DeploymentCondition> stuck = deadlineExceeded(deployment);
    if (stuck.isPresent()) {
      return Optional.of(
          StepResult.failed(
              "deployment "
                  + cluster.ref(name)
                  + " exceeded its progress deadline: "
                  + stuck.get().getMessage()
                  + podsSummary(cluster, look.sight(), deployment, poll),
              outputs));
    }
    if (complete(deployment)) {
      context.output().line("deployment " + cluster.ref(name) + " successfully rolled out");
      return Optional.of(StepResult.succeeded(outputs));
    }
    Instant now = poll.clock().instant();
    Optional<String> replicaFailure = replicaFailure(deployment, now, grace(failures), wakeup);
    if (replicaFailure.isPresent()) {
      return Optional.of(
          StepResult.failed(
              "deployment " + cluster.ref(name) + " cannot create pods: " + replicaFailure.get(),
              outputs));
    }
    return newReplicaSet(look.sight(), deployment)
        .flatMap(rs -> failures.find(cluster, look.sight().pods(rs), now, wakeup::at))
        .map(
            failure -> {
              failure.events().forEach(e -> context.output().line("event: " + e));
              failure.logs().forEach(l -> context.output().line("log: " + l));
              Map<String, Object> out = new LinkedHashMap<>(outputs);
              out.put("failed_pod", failure.pod());
              out.put("failure_reason", failure.reason());
              out.put("events", failure.events());
              out.put("logs", failure.logs());
              return StepResult.failed(
                  "deployment "
                      + cluster.ref(name)
                      + " will not become ready: "
                      + failure.describe(),
                  out);
            });
  }

  private static Duration grace(PodFailures failures) {
    return failures.grace();
  }

  private static StepResult timedOut(
      Look look, Cluster cluster, String name, Polling polling, Instant start, AsyncPoll poll) {
    return look.deployment() == null
        ? StepResult.failed(
            "deployment "
                + cluster.ref(name)
                + " could not be read within "
                + Durations.format(polling.timeout())
                + ": "
                + look.error())
        : StepResult.failed(
            "deployment "
                + cluster.ref(name)
                + " did not finish rolling out within "
                + Durations.format(polling.timeout())
                + ": "
                + progress(look.deployment()),
            outputs(look.deployment(), start, poll.clock()));
  }

  /**
   * One look at the Deployment. A failed read (the API server unavailable past the retries) is not
   * the rollout's failure: the next look tries again until the timeout. A missing Deployment is.
   */
  private record Look(Deployment deployment, String error, Sight sight) {
    static Look read(Cluster cluster, String name) {
      try {
        return new Look(Deployments.require(cluster, name), null, Sight.reading(cluster));
      } catch (ClusterAccessException e) {
        if (e.getMessage() != null && e.getMessage().endsWith("does not exist")) {
          throw e;
        }
        return new Look(null, e.getMessage(), Sight.reading(cluster));
      }
    }
  }

  private static String podsSummary(
      Cluster cluster, Sight sight, Deployment deployment, AsyncPoll poll) {
    try {
      return newReplicaSet(sight, deployment)
          .flatMap(
              rs ->
                  new PodFailures(Duration.ZERO)
                      .find(cluster, sight.pods(rs), poll.clock().instant(), when -> {}))
          .map(f -> "; " + f.describe())
          .orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** The ReplicaSet of the Deployment's current revision, as the controller numbered it. */
  private static Optional<ReplicaSet> newReplicaSet(Sight sight, Deployment deployment) {
    Map<String, String> annotations = deployment.getMetadata().getAnnotations();
    String revision = annotations == null ? null : annotations.get(Deployments.REVISION);
    if (revision == null) {
      return Optional.empty();
    }
    return sight.replicaSets(deployment).stream()
        .filter(
            rs ->
                rs.getMetadata().getAnnotations() != null
                    && revision.equals(rs.getMetadata().getAnnotations().get(Deployments.REVISION)))
        .findFirst();
  }

  private static Optional<String> replicaFailure(
      Deployment d, Instant now, Duration grace, AsyncPoll.Wakeup wakeup) {
    return conditions(d).stream()
        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .filter(
            c -> {
              try {
                Instant since = Instant.parse(c.getLastTransitionTime());
                boolean over = since.isAfter(now) || !since.plus(grace).isAfter(now);
                if (!over) {
                  wakeup.at(since.plus(grace));
                }
                return over;
              } catch (RuntimeException e) {
                return true;
              }
            })
        .map(c -> c.getReason() + ": " + c.getMessage())
        .findFirst();
  }

  private static Polling polling(Input input) {
    return Polling.of(
        input.timeout(), input.pollInterval(), Duration.ofMinutes(5), Duration.ofSeconds(2));
  }

  /**
   * How long a container may wait with a bad reason before the rollout fails: {@code
   * failure_grace}, else config {@code kubernetes.rollout.failure_grace}, else 30 s.
   */
  static Duration grace(Input input, StepContext context) {
    if (input.failureGrace() != null) {
      return input.failureGrace();
    }
    Object rollout = context.config().section("kubernetes").get("rollout");
    if (rollout instanceof Map<?, ?> map && map.get("failure_grace") != null) {
      return Durations.parse(String.valueOf(map.get("failure_grace")))
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "kubernetes.rollout.failure_grace is not a duration: "
                          + map.get("failure_grace")));
    }
    return DEFAULT_GRACE;
  }

  /** Whether the controller has seen the latest spec (kubectl waits for this first). */
  static boolean observed(Deployment d) {
    Long generation = d.getMetadata().getGeneration();
    Long observed = status(d).getObservedGeneration();
    return generation == null || (observed != null && observed >= generation);
  }

  /**
   * kubectl's rule, once observed: all replicas updated, no old ones left, all updated available.
   */
  static boolean complete(Deployment d) {
    DeploymentStatus s = status(d);
    int desired = Deployments.desiredReplicas(d);
    return observed(d)
        && count(s.getUpdatedReplicas()) >= desired
        && count(s.getReplicas()) <= count(s.getUpdatedReplicas())
        && count(s.getAvailableReplicas()) >= count(s.getUpdatedReplicas());
  }

  private static String progress(Deployment d) {
    DeploymentStatus s = status(d);
    int desired = Deployments.desiredReplicas(d);
    String text =
        count(s.getUpdatedReplicas())
            + "/"
            + desired
            + " updated, "
            + count(s.getReadyReplicas())
            + "/"
            + desired
            + " ready, "
            + count(s.getAvailableReplicas())
            + "/"
            + desired
            + " available";
    int old = count(s.getReplicas()) - count(s.getUpdatedReplicas());
    if (old > 0) {
      text += ", " + old + " old pending termination";
    }
    Long generation = d.getMetadata().getGeneration();
    if (generation != null
        && (s.getObservedGeneration() == null || s.getObservedGeneration() < generation)) {
      text += ", waiting for the controller to see the new spec";
    }
    return text;
  }

  private static java.util.List<DeploymentCondition> conditions(Deployment d) {
    return status(d).getConditions() == null ? java.util.List.of() : status(d).getConditions();
  }

  private static Optional<DeploymentCondition> deadlineExceeded(Deployment d) {
    return conditions(d).stream()
        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
        .findFirst();
  }

  private static Map<String, Object> outputs(Deployment d, Instant start, Clock clock) {
    DeploymentStatus s = status(d);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("replicas", Deployments.desiredReplicas(d));
    out.put("updated_replicas", count(s.getUpdatedReplicas()));
    out.put("ready_replicas", count(s.getReadyReplicas()));
    out.put("available_replicas", count(s.getAvailableReplicas()));
    Map<String, String> annotations = d.getMetadata().getAnnotations();
    out.put(
        "revision", annotations == null ? "" : annotations.getOrDefault(Deployments.REVISION, ""));
    out.put("elapsed", Durations.format(Duration.between(start, clock.instant())));
    return out;
  }

  private static DeploymentStatus status(Deployment d) {
    return d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
