package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment and ReplicaSet controllers, the scheduler and the kubelet on the mock API
 * server, as the real ones behave, one {@link #reconcile} at a time:
 *
 * <ul>
 *   <li>A changed pod template is observed late: {@code status.observedGeneration} catches up with
 *       {@code metadata.generation} one pass after the change at the earliest ({@link
 *       #observeAfter} later still). Until then the old status and conditions stay, a leftover
 *       {@code ProgressDeadlineExceeded} included.
 *   <li>Observing it, the controller finds the ReplicaSet with that template (an old revision comes
 *       back as the newest: its revision annotation moves up) or creates one, and numbers the
 *       Deployment's revision as the controller does.
 *   <li>The next passes create the new ReplicaSet's pods with container statuses: ready, or as
 *       {@link #failing} says (waiting with ImagePullBackOff/ErrImagePull, CrashLoopBackOff after
 *       restarts, CreateContainerConfigError, Unschedulable, never ready), with the events the
 *       kubelet and the scheduler would record. Old pods go once the new ones are ready.
 *   <li>A pod the API server refuses (its admission: a quota, see {@link PodAdmission}) is not
 *       there: the ReplicaSet gets a FailedCreate event and its {@code ReplicaFailure} condition,
 *       which the Deployment's status carries, as the ReplicaSet and Deployment controllers do.
 *   <li>Status: replicas, updated, ready, available; conditions {@code Progressing} (reasons
 *       NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
 *       ProgressDeadlineExceeded after {@code spec.progressDeadlineSeconds}, 600 by default),
 *       {@code Available} (MinimumReplicasAvailable / MinimumReplicasUnavailable) and {@code
 *       ReplicaFailure} (FailedCreate), with kubectl's reasons and messages.
 * </ul>
 *
 * Times come from the clock it is given (the tests' virtual time, or the system clock), so pods'
 * and conditions' timestamps agree with the steps' clock. Its writes can meet a step's: a 409 is
 * left for the next pass, as a controller requeues.
 */
public final class DeploymentController {

  /** How the pods of an image behave. */
  public enum Behaviour {
    READY,
    IMAGE_PULL_BACK_OFF,
    CRASH_LOOP_BACK_OFF,
    CREATE_CONTAINER_CONFIG_ERROR,
    UNSCHEDULABLE,
    NEVER_READY
  }

  public static final String REVISION = ClusterObjects.REVISION;

  private final KubernetesClient admin;
  private final Clock clock;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
  private final Map<String, Behaviour> images = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, Integer> passes = new ConcurrentHashMap<>();
  private volatile Duration observeLag = Duration.ZERO;
  private volatile Duration startup = Duration.ZERO;

  public DeploymentController(KubernetesClient admin, Clock clock) {
    this.admin = admin;
    this.clock = clock;
  }

  /** Controls the Deployments of {@code namespace} from now on. */
  public DeploymentController watch(String namespace) {
    namespaces.add(namespace);
    return this;
  }

  /** Pods running {@code image} (in any container) behave so. */
  public DeploymentController failing(String image, Behaviour behaviour) {
    images.put(image, behaviour);
    return this;
  }

  /** A new generation is observed no sooner than {@code lag} after this controller first saw it. */
  public DeploymentController observeAfter(Duration lag) {
    this.observeLag = lag;
    return this;
  }

  /**
   * A healthy container becomes ready {@code startup} after its pod started (a readiness delay).
   */
  public DeploymentController startup(Duration startup) {
    this.startup = startup;
    return this;
  }

  private boolean startsLater(Pod pod, Instant now) {
    String start = pod.getStatus().getStartTime();
    return start != null && now.isBefore(Instant.parse(start).plus(startup));
  }

  /** Reconciles every {@code period} on {@code scheduler} (virtual or real time). */
  public ScheduledFuture<?> every(ScheduledExecutorService scheduler, Duration period) {
    return scheduler.scheduleWithFixedDelay(
        this::reconcileQuietly, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      // the API server may be shutting down at the end of a test; the next pass tries again
    }
  }

  /** One pass over every Deployment of the watched namespaces. */
  public synchronized void reconcile() {
    for (String namespace : namespaces) {
      for (Deployment d : admin.apps().deployments().inNamespace(namespace).list().getItems()) {
        try {
          reconcile(d);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 && e.getCode() != 404) {
            throw e;
          }
          // someone else wrote first: requeued, as the real controller does
        }
      }
    }
  }

  private void reconcile(Deployment d) {
    long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
      String key = d.getMetadata().getUid() + "/" + generation;
      Instant seen = firstSeen.computeIfAbsent(key, k -> clock.instant());
      if (passes.merge(key, 1, Integer::sum) < 2
          || clock.instant().isBefore(seen.plus(observeLag))) {
        return;
      }
      observe(d, generation, status, now);
      return;
    }
    progress(d, status, now);
  }

  /** The controller sees the new spec: the ReplicaSet of the template, the revision, the status. */
  private void observe(Deployment d, long generation, DeploymentStatus status, Instant now) {
    String namespace = d.getMetadata().getNamespace();
    List<ReplicaSet> owned = owned(d);
    long max = owned.stream().mapToLong(DeploymentController::revision).max().orElse(0);
    ReplicaSet match =
        owned.stream()
            .filter(rs -> sameTemplate(rs, d.getSpec().getTemplate()))
            .findFirst()
            .orElse(null);
    String reason;
    long revision;
    if (match == null) {
      revision = max + 1;
      match =
          admin
              .apps()
              .replicaSets()
              .inNamespace(namespace)
              .resource(newReplicaSet(d, revision))
              .create();
      reason = "NewReplicaSetCreated";
    } else {
      revision = revision(match);
      if (revision < max) {
        revision = max + 1;
        match.getMetadata().getAnnotations().put(REVISION, String.valueOf(revision));
        match = admin.apps().replicaSets().inNamespace(namespace).resource(match).update();
      }
      reason = "FoundNewReplicaSet";
    }
    String rsName = match.getMetadata().getName();
    long r = revision;
    admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(d.getMetadata().getName())
        .edit(
            x -> {
              Map<String, String> annotations =
                  x.getMetadata().getAnnotations() == null
                      ? new LinkedHashMap<>()
                      : new LinkedHashMap<>(x.getMetadata().getAnnotations());
              annotations.put(REVISION, String.valueOf(r));
              x.getMetadata().setAnnotations(annotations);
              return x;
            });
    List<DeploymentCondition> conditions = new ArrayList<>();
    DeploymentCondition available = condition(status, "Available");
    if (available != null) {
      conditions.add(available);
    }
    String message =
        "NewReplicaSetCreated".equals(reason)
            ? "Created new replica set \"" + rsName + "\""
            : "Found new replica set \"" + rsName + "\"";
    conditions.add(progressing("True", reason, message, now, now));
    admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(d.getMetadata().getName())
        .editStatus(
            x -> {
              DeploymentStatus s = x.getStatus() == null ? new DeploymentStatus() : x.getStatus();
              s.setObservedGeneration(generation);
              s.setUpdatedReplicas(0);
              s.setConditions(conditions);
              x.setStatus(s);
              return x;
            });
  }

  /** Pods of the new ReplicaSet come up (or fail to), old ones go; the status follows. */
  private void progress(Deployment d, DeploymentStatus status, Instant now) {
    String namespace = d.getMetadata().getNamespace();
    List<ReplicaSet> owned = owned(d);
    ReplicaSet current =
        owned.stream()
            .filter(rs -> sameTemplate(rs, d.getSpec().getTemplate()))
            .findFirst()
            .orElse(null);
    if (current == null) {
      return;
    }
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Behaviour behaviour = behaviour(d.getSpec().getTemplate());
    List<Pod> newPods = pods(current);
    String refused = null;
    for (int i = newPods.size(); i < desired && refused == null; i++) {
      try {
        newPods.add(createPod(current, i, behaviour, now));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 403 && e.getCode() != 422) {
          throw e;
        }
        refused =
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
      }
    }
    ReplicaSet afterCreates = replicaFailure(current, refused, now);
    for (int i = 0; i < newPods.size(); i++) {
      newPods.set(i, kubelet(newPods.get(i), behaviour, now));
    }
    while (newPods.size() > desired) {
      Pod extra = newPods.remove(newPods.size() - 1);
      admin.pods().inNamespace(namespace).resource(extra).delete();
    }
    int readyNew = (int) newPods.stream().filter(DeploymentController::ready).count();
    List<Pod> oldPods = new ArrayList<>();
    for (ReplicaSet rs : owned) {
      if (rs != current) {
        oldPods.addAll(pods(rs));
      }
    }
    if (readyNew >= desired) {
      for (Pod old : oldPods) {
        admin.pods().inNamespace(namespace).resource(old).delete();
      }
      oldPods.clear();
      for (ReplicaSet rs : owned) {
        if (rs != current && rs.getSpec().getReplicas() != null && rs.getSpec().getReplicas() > 0) {
          admin
              .apps()
              .replicaSets()
              .inNamespace(namespace)
              .withName(rs.getMetadata().getName())
              .edit(
                  x -> {
                    x.getSpec().setReplicas(0);
                    return x;
                  });
        }
      }
    }
    int readyOld = (int) oldPods.stream().filter(DeploymentController::ready).count();
    int replicas = newPods.size() + oldPods.size();
    int available = readyNew + readyOld;
    boolean complete = newPods.size() == desired && oldPods.isEmpty() && readyNew == desired;

    List<DeploymentCondition> conditions = new ArrayList<>();
    int maxUnavailable = desired / 4;
    conditions.add(
        available >= desired - maxUnavailable
            ? condition(
                status,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
                now)
            : condition(
                status,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
                now));
    String rs = current.getMetadata().getName();
    DeploymentCondition before = condition(status, "Progressing");
    boolean moved =
        !Objects.equals(status.getUpdatedReplicas(), newPods.size())
            || !Objects.equals(status.getAvailableReplicas(), available)
            || !Objects.equals(status.getReadyReplicas(), available);
    Instant lastUpdate =
        before == null || before.getLastUpdateTime() == null
            ? now
            : Instant.parse(before.getLastUpdateTime());
    long deadline =
        d.getSpec().getProgressDeadlineSeconds() == null
            ? 600
            : d.getSpec().getProgressDeadlineSeconds();
    if (complete) {
      conditions.add(
          keep(
              before,
              "True",
              "NewReplicaSetAvailable",
              "ReplicaSet \"" + rs + "\" has successfully progressed.",
              now));
    } else if (before != null && "ProgressDeadlineExceeded".equals(before.getReason())) {
      conditions.add(before);
    } else if (moved) {
      conditions.add(
          progressing(
              "True",
              "ReplicaSetUpdated",
              "ReplicaSet \"" + rs + "\" is progressing.",
              transition(before, "True", now),
              now));
    } else if (!now.isBefore(lastUpdate.plusSeconds(deadline))) {
      conditions.add(
          progressing(
              "False",
              "ProgressDeadlineExceeded",
              "ReplicaSet \"" + rs + "\" has timed out progressing.",
              now,
              now));
    } else if (before != null) {
      conditions.add(before);
    }
    // the deployment controller moves a ReplicaSet's ReplicaFailure into its own conditions
    // (getReplicaFailures: the new ReplicaSet's first), and drops it once none has one
    failure(afterCreates, owned)
        .ifPresent(
            f ->
                conditions.add(
                    new DeploymentConditionBuilder()
                        .withType("ReplicaFailure")
                        .withStatus(f.getStatus())
                        .withReason(f.getReason())
                        .withMessage(f.getMessage())
                        .withLastTransitionTime(f.getLastTransitionTime())
                        .withLastUpdateTime(f.getLastTransitionTime())
                        .build()));
    DeploymentStatus next =
        new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder(status)
            .withReplicas(replicas)
            .withUpdatedReplicas(newPods.size())
            .withReadyReplicas(available)
            .withAvailableReplicas(available)
            .withUnavailableReplicas(Math.max(0, desired - available))
            .withConditions(conditions)
            .build();
    if (next.equals(status)) {
      return;
    }
    admin
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName(d.getMetadata().getName())
        .editStatus(
            x -> {
              x.setStatus(next);
              return x;
            });
  }

  private static Optional<ReplicaSetCondition> failure(ReplicaSet current, List<ReplicaSet> owned) {
    List<ReplicaSet> order = new ArrayList<>();
    order.add(current);
    owned.stream()
        .filter(rs -> !rs.getMetadata().getUid().equals(current.getMetadata().getUid()))
        .forEach(order::add);
    return order.stream()
        .map(DeploymentController::replicaFailure)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<ReplicaSetCondition> replicaFailure(ReplicaSet rs) {
    return rs.getStatus() == null || rs.getStatus().getConditions() == null
        ? Optional.empty()
        : rs.getStatus().getConditions().stream()
            .filter(c -> "ReplicaFailure".equals(c.getType()))
            .findFirst();
  }

  /**
   * The ReplicaSet controller's side of a refused create: every refusal is a FailedCreate event
   * ("Error creating: " and the API server's message) on the ReplicaSet, and the first sets its
   * {@code ReplicaFailure} condition (reason FailedCreate, the message), which stays, its
   * transition time too, until a pass creates what it needs; then it goes.
   */
  private ReplicaSet replicaFailure(ReplicaSet rs, String refused, Instant now) {
    Optional<ReplicaSetCondition> before = replicaFailure(rs);
    if (refused != null) {
      event(rs, "FailedCreate", "Warning", "Error creating: " + refused, now);
    }
    if ((refused != null) == before.isPresent()) {
      return rs;
    }
    return admin
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .withName(rs.getMetadata().getName())
        .editStatus(
            x -> {
              ReplicaSetStatus s = x.getStatus() == null ? new ReplicaSetStatus() : x.getStatus();
              List<ReplicaSetCondition> conditions =
                  new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
              conditions.removeIf(c -> "ReplicaFailure".equals(c.getType()));
              if (refused != null) {
                conditions.add(
                    new ReplicaSetConditionBuilder()
                        .withType("ReplicaFailure")
                        .withStatus("True")
                        .withReason("FailedCreate")
                        .withMessage(refused)
                        .withLastTransitionTime(now.toString())
                        .build());
              }
              s.setConditions(conditions);
              x.setStatus(s);
              return x;
            });
  }

  private Behaviour behaviour(PodTemplateSpec template) {
    return template.getSpec().getContainers().stream()
        .map(c -> images.getOrDefault(c.getImage(), Behaviour.READY))
        .filter(b -> b != Behaviour.READY)
        .findFirst()
        .orElse(Behaviour.READY);
  }

  private Pod createPod(ReplicaSet rs, int index, Behaviour behaviour, Instant now) {
    PodTemplateSpec template = rs.getSpec().getTemplate();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(rs.getMetadata().getName() + "-" + index)
            .withNamespace(rs.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .addNewOwnerReference()
            .withApiVersion("apps/v1")
            .withKind("ReplicaSet")
            .withName(rs.getMetadata().getName())
            .withUid(rs.getMetadata().getUid())
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withSpec(template.getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .withStartTime(now.toString())
            .endStatus()
            .build();
    boolean unschedulable = behaviour == Behaviour.UNSCHEDULABLE;
    if (unschedulable) {
      pod.getStatus()
          .setConditions(
              List.of(
                  podCondition(
                      "PodScheduled",
                      "False",
                      "Unschedulable",
                      "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available:"
                          + " 3 No preemption victims found for incoming pod.",
                      now)));
    } else {
      pod.getSpec().setNodeName("node-1");
    }
    // the API server's admission may refuse it (a quota): then nothing was scheduled
    Pod created = admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    if (unschedulable) {
      event(
          created,
          "FailedScheduling",
          "Warning",
          created.getStatus().getConditions().get(0).getMessage(),
          now);
    } else {
      event(
          created,
          "Scheduled",
          "Normal",
          "Successfully assigned "
              + created.getMetadata().getNamespace()
              + "/"
              + created.getMetadata().getName()
              + " to node-1",
          now);
    }
    return created;
  }

  /** What the kubelet reports for a pod on this pass. */
  private Pod kubelet(Pod pod, Behaviour behaviour, Instant now) {
    if (behaviour == Behaviour.UNSCHEDULABLE) {
      return pod;
    }
    List<ContainerStatus> before =
        pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    List<ContainerStatus> statuses = new ArrayList<>();
    boolean allReady = true;
    String phase = "Running";
    for (var container : pod.getSpec().getContainers()) {
      Behaviour own = images.getOrDefault(container.getImage(), Behaviour.READY);
      ContainerStatus old =
          before.stream()
              .filter(s -> s.getName().equals(container.getName()))
              .findFirst()
              .orElse(null);
      int restarts = old == null || old.getRestartCount() == null ? 0 : old.getRestartCount();
      ContainerStatusBuilder s =
          new ContainerStatusBuilder()
              .withName(container.getName())
              .withImage(container.getImage())
              .withRestartCount(restarts)
              .withReady(false)
              .withStarted(false);
      switch (own) {
        case IMAGE_PULL_BACK_OFF -> {
          phase = "Pending";
          boolean first = old == null;
          String reason = first ? "ErrImagePull" : "ImagePullBackOff";
          String message =
              first
                  ? "rpc error: code = NotFound desc = failed to pull and unpack image \""
                      + container.getImage()
                      + "\": not found"
                  : "Back-off pulling image \"" + container.getImage() + "\"";
          s.withNewState()
              .withNewWaiting()
              .withReason(reason)
              .withMessage(message)
              .endWaiting()
              .endState();
          event(
              pod,
              first ? "Failed" : "BackOff",
              "Warning",
              first ? "Failed to pull image \"" + container.getImage() + "\": " + message : message,
              now);
        }
        case CREATE_CONTAINER_CONFIG_ERROR -> {
          phase = "Pending";
          s.withNewState()
              .withNewWaiting()
              .withReason("CreateContainerConfigError")
              .withMessage("secret \"" + container.getName() + "-env\" not found")
              .endWaiting()
              .endState();
          event(
              pod,
              "Failed",
              "Warning",
              "Error: secret \"" + container.getName() + "-env\" not found",
              now);
        }
        case CRASH_LOOP_BACK_OFF -> {
          s.withRestartCount(restarts + 1)
              .withNewState()
              .withNewWaiting()
              .withReason("CrashLoopBackOff")
              .withMessage(
                  "back-off 10s restarting failed container="
                      + container.getName()
                      + " pod="
                      + pod.getMetadata().getName()
                      + "_"
                      + pod.getMetadata().getNamespace())
              .endWaiting()
              .endState()
              .withNewLastState()
              .withNewTerminated()
              .withReason("Error")
              .withExitCode(1)
              .endTerminated()
              .endLastState();
          event(
              pod,
              "BackOff",
              "Warning",
              "Back-off restarting failed container "
                  + container.getName()
                  + " in pod "
                  + pod.getMetadata().getName(),
              now);
        }
        case NEVER_READY -> {
          s.withStarted(true)
              .withNewState()
              .withNewRunning()
              .withStartedAt(startedAt(old, now))
              .endRunning()
              .endState();
          event(
              pod,
              "Unhealthy",
              "Warning",
              "Readiness probe failed: HTTP probe failed with statuscode: 503",
              now);
        }
        default ->
            s.withReady(!startsLater(pod, now))
                .withStarted(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt(startedAt(old, now))
                .endRunning()
                .endState();
      }
      ContainerStatus built = s.build();
      allReady &= Boolean.TRUE.equals(built.getReady());
      statuses.add(built);
    }
    String since =
        pod.getStatus().getStartTime() == null ? now.toString() : pod.getStatus().getStartTime();
    List<PodCondition> conditions =
        List.of(
            podCondition("PodScheduled", "True", null, null, Instant.parse(since)),
            podCondition(
                "Ready",
                allReady ? "True" : "False",
                allReady ? null : "ContainersNotReady",
                allReady ? null : "containers with unready status",
                readySince(pod, allReady, now, since)));
    Pod next =
        new PodBuilder(pod)
            .editStatus()
            .withPhase(phase)
            .withContainerStatuses(statuses)
            .withConditions(conditions)
            .endStatus()
            .build();
    if (next.getStatus().equals(pod.getStatus())) {
      return pod;
    }
    return admin.pods().inNamespace(pod.getMetadata().getNamespace()).resource(next).updateStatus();
  }

  private static String startedAt(ContainerStatus old, Instant now) {
    return old != null && old.getState() != null && old.getState().getRunning() != null
        ? old.getState().getRunning().getStartedAt()
        : now.toString();
  }

  /** When the pod's Ready condition took its value: kept while the value stays. */
  private static Instant readySince(Pod pod, boolean ready, Instant now, String started) {
    String value = ready ? "True" : "False";
    PodCondition before =
        pod.getStatus().getConditions() == null
            ? null
            : pod.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    if (before != null && value.equals(before.getStatus())) {
      return Instant.parse(before.getLastTransitionTime());
    }
    return ready ? now : Instant.parse(started);
  }

  private void event(HasMetadata pod, String reason, String type, String message, Instant now) {
    String name = pod.getMetadata().getName() + "." + reason.toLowerCase();
    var events = admin.v1().events().inNamespace(pod.getMetadata().getNamespace());
    if (events.withName(name).get() != null) {
      return;
    }
    events
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(pod.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withKind(pod.getKind())
                .withName(pod.getMetadata().getName())
                .withNamespace(pod.getMetadata().getNamespace())
                .endInvolvedObject()
                .withReason(reason)
                .withType(type)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now.toString())
                .withLastTimestamp(now.toString())
                .build())
        .create();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private List<Pod> pods(ReplicaSet rs) {
    String uid = rs.getMetadata().getUid();
    return new ArrayList<>(
        admin
            .pods()
            .inNamespace(rs.getMetadata().getNamespace())
            .withLabels(rs.getSpec().getTemplate().getMetadata().getLabels())
            .list()
            .getItems()
            .stream()
            .filter(p -> ownedBy(p, uid))
            .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
            .toList());
  }

  private List<ReplicaSet> owned(Deployment d) {
    String uid = d.getMetadata().getUid();
    return admin
        .apps()
        .replicaSets()
        .inNamespace(d.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(rs -> ownedBy(rs, uid))
        .toList();
  }

  private static boolean ownedBy(HasMetadata object, String uid) {
    return object.getMetadata().getOwnerReferences() != null
        && object.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
  }

  private static long revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    return annotations == null || annotations.get(REVISION) == null
        ? 0
        : Long.parseLong(annotations.get(REVISION));
  }

  /**
   * Equal templates, the ReplicaSet's {@code pod-template-hash} label aside (as kubectl compares).
   */
  private static boolean sameTemplate(ReplicaSet rs, PodTemplateSpec template) {
    PodTemplateSpec theirs = new PodTemplateSpecBuilder(rs.getSpec().getTemplate()).build();
    if (theirs.getMetadata() != null && theirs.getMetadata().getLabels() != null) {
      Map<String, String> labels = new LinkedHashMap<>(theirs.getMetadata().getLabels());
      labels.remove("pod-template-hash");
      theirs.getMetadata().setLabels(labels);
    }
    return normal(theirs).equals(normal(template));
  }

  private static PodTemplateSpec normal(PodTemplateSpec template) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    if (copy.getMetadata() != null
        && copy.getMetadata().getAnnotations() != null
        && copy.getMetadata().getAnnotations().isEmpty()) {
      copy.getMetadata().setAnnotations(null);
    }
    return copy;
  }

  private static ReplicaSet newReplicaSet(Deployment d, long revision) {
    String name = d.getMetadata().getName();
    PodTemplateSpec template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels("pod-template-hash", "h" + revision)
            .endMetadata()
            .build();
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(REVISION, String.valueOf(revision));
    if (d.getMetadata().getAnnotations() != null
        && d.getMetadata().getAnnotations().get("kubernetes.io/change-cause") != null) {
      annotations.put(
          "kubernetes.io/change-cause",
          d.getMetadata().getAnnotations().get("kubernetes.io/change-cause"));
    }
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name + "-r" + revision)
        .withNamespace(d.getMetadata().getNamespace())
        .withAnnotations(annotations)
        .withLabels(template.getMetadata().getLabels())
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(name)
        .withUid(d.getMetadata().getUid())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(d.getSpec().getReplicas())
        .withNewSelector()
        .addToMatchLabels(template.getMetadata().getLabels())
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  private static DeploymentCondition condition(DeploymentStatus status, String type) {
    return status.getConditions() == null
        ? null
        : status.getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  /** A condition of {@code type}, keeping its lastTransitionTime while its status stays. */
  private static DeploymentCondition condition(
      DeploymentStatus status,
      String type,
      String value,
      String reason,
      String message,
      Instant now) {
    DeploymentCondition before = condition(status, type);
    if (before != null && value.equals(before.getStatus()) && reason.equals(before.getReason())) {
      return before;
    }
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition(before, value, now))
        .withLastUpdateTime(now.toString())
        .build();
  }

  private static DeploymentCondition keep(
      DeploymentCondition before, String value, String reason, String message, Instant now) {
    if (before != null && value.equals(before.getStatus()) && reason.equals(before.getReason())) {
      return before;
    }
    return progressing(value, reason, message, Instant.parse(transition(before, value, now)), now);
  }

  private static String transition(DeploymentCondition before, String value, Instant now) {
    return before != null
            && value.equals(before.getStatus())
            && before.getLastTransitionTime() != null
        ? before.getLastTransitionTime()
        : now.toString();
  }

  private static DeploymentCondition progressing(
      String value, String reason, String message, Object transition, Instant now) {
    return new DeploymentConditionBuilder()
        .withType("Progressing")
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition.toString())
        .withLastUpdateTime(now.toString())
        .build();
  }

  private static PodCondition podCondition(
      String type, String value, String reason, String message, Instant since) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since.toString())
        .build();
  }
}
