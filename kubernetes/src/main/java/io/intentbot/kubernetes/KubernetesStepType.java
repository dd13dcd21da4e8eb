package io.intentbot.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;

/**
 * Base of the step types that talk to a cluster: resolves the client and namespace of the run, and
 * turns cluster errors into a failed {@link StepResult} (or, in {@link #plan}, into a {@link
 * ClusterAccessException}) with the message of the error.
 */
public abstract class KubernetesStepType implements StepType {

  private final KubernetesClients clients;
  private final ResilientCalls calls;
  private final JsonNode schema;

  protected KubernetesStepType(KubernetesClients clients, ResilientCalls calls, String schemaJson) {
    this.clients = clients;
    this.calls = calls;
    this.schema = Schemas.parse(schemaJson);
  }

  @Override
  public final JsonNode withSchema() {
    return schema;
  }

  @Override
  public final StepPlan plan(StepInput input, StepContext context) {
    return plan(input, context, cluster(input, context));
  }

  @Override
  public final StepResult execute(StepInput input, StepContext context)
      throws InterruptedException {
    try {
      return execute(input, context, cluster(input, context));
    } catch (ClusterAccessException | IllegalArgumentException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException(e.getMessage());
      }
      return StepResult.failed(e.getMessage());
    }
  }

  protected abstract StepPlan plan(StepInput input, StepContext context, Cluster cluster);

  protected abstract StepResult execute(StepInput input, StepContext context, Cluster cluster)
      throws InterruptedException;

  private Cluster cluster(StepInput input, StepContext context) {
    return new Cluster(clients.client(context), calls, KubernetesClients.namespace(input, context));
  }
}
