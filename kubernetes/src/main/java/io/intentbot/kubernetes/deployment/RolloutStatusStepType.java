package io.intentbot.kubernetes.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import io.intentbot.kubernetes.ProgressLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kubernetes.rollout-status}: waits until a Deployment's rollout is complete - the
 * controller has seen the latest spec, and updated, ready and available replicas all equal the
 * desired count with no old replicas left - or fails at the timeout, or at once when the Deployment
 * reports ProgressDeadlineExceeded.
 *
 * <pre>{@code
 * with: { deployment: web, timeout: 5m, poll_interval: 2s }
 * }</pre>
 *
 * Outputs: {@code replicas}, {@code updated_replicas}, {@code ready_replicas}, {@code
 * available_replicas}, {@code revision}, {@code elapsed}.
 */
public final class RolloutStatusStepType extends PollingStepType<RolloutStatusStepType.Input> {

  public static final String NAME = "kubernetes.rollout-status";

  /** The {@code with:} block. */
  public record Input(String namespace, String deployment, Duration timeout, Duration pollInterval)
      implements Namespaced {}

  public RolloutStatusStepType(ClusterAccess access) {
    super(NAME, "Wait until a Deployment's rollout is complete", Input.class, access);
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
    Instant start = poll.clock().instant();
    ProgressLine progress = new ProgressLine(context.output());
    return poll.until(
        polling,
        () -> Deployments.require(cluster, name),
        deployment -> {
          progress.report(name + ": " + progress(deployment));
          Map<String, Object> outputs = outputs(deployment, start, poll.clock());
          if (complete(deployment)) {
            context.output().line("deployment " + cluster.ref(name) + " successfully rolled out");
            return Optional.of(StepResult.succeeded(outputs));
          }
          return deadlineExceeded(deployment)
              .map(
                  stuck ->
                      StepResult.failed(
                          "deployment "
                              + cluster.ref(name)
                              + " exceeded its progress deadline: "
                              + stuck.getMessage(),
                          outputs));
        },
        deployment ->
            StepResult.failed(
                "deployment "
                    + cluster.ref(name)
                    + " did not finish rolling out within "
                    + Durations.format(polling.timeout())
                    + ": "
                    + progress(deployment),
                outputs(deployment, start, poll.clock())));
  }

  private static Polling polling(Input input) {
    return Polling.of(
        input.timeout(), input.pollInterval(), Duration.ofMinutes(5), Duration.ofSeconds(2));
  }

  static boolean complete(Deployment d) {
    DeploymentStatus s = status(d);
    int desired = Deployments.desiredReplicas(d);
    Long generation = d.getMetadata().getGeneration();
    boolean observed =
        generation == null
            || (s.getObservedGeneration() != null && s.getObservedGeneration() >= generation);
    return observed
        && count(s.getUpdatedReplicas()) == desired
        && count(s.getReadyReplicas()) == desired
        && count(s.getAvailableReplicas()) == desired
        && count(s.getReplicas()) == desired;
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

  private static Optional<DeploymentCondition> deadlineExceeded(Deployment d) {
    if (status(d).getConditions() == null) {
      return Optional.empty();
    }
    return status(d).getConditions().stream()
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
