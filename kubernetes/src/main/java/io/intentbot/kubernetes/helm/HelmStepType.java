package io.intentbot.kubernetes.helm;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.Schemas;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the Helm step types: the namespace of the run, the cluster flags, and errors (helm
 * missing, a failed command) turned into a failed {@link StepResult}.
 */
abstract class HelmStepType implements StepType {

  protected final HelmCli helm;
  private final JsonNode schema;

  HelmStepType(HelmCli helm, String schemaJson) {
    this.helm = helm;
    this.schema = Schemas.parse(schemaJson);
  }

  @Override
  public final JsonNode withSchema() {
    return schema;
  }

  @Override
  public final StepPlan plan(StepInput input, StepContext context) {
    try {
      return describe(input, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while planning", e);
    }
  }

  @Override
  public final StepResult execute(StepInput input, StepContext context)
      throws InterruptedException {
    try {
      return run(input, context);
    } catch (ClusterAccessException | IllegalArgumentException e) {
      return StepResult.failed(e.getMessage());
    }
  }

  protected abstract StepPlan describe(StepInput input, StepContext context)
      throws InterruptedException;

  protected abstract StepResult run(StepInput input, StepContext context)
      throws InterruptedException;

  static String namespace(StepInput input, StepContext context) {
    String namespace = KubernetesClients.namespace(input, context);
    if (namespace == null) {
      throw new IllegalArgumentException(
          "'namespace' is required when the intent has no environment");
    }
    return namespace;
  }

  /** {@code --namespace NS} plus the cluster flags of the run. */
  static List<String> target(StepInput input, StepContext context) {
    List<String> args = new ArrayList<>(List.of("--namespace", namespace(input, context)));
    args.addAll(HelmCli.clusterFlags(context));
    return args;
  }
}
