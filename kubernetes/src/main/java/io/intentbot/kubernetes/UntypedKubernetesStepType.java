package io.intentbot.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import java.time.Clock;

/**
 * Base of the step types that talk to a cluster: resolves the client and namespace of the run, and
 * turns cluster errors into a failed {@link StepResult} (or, in {@link #plan}, into a {@link
 * ClusterAccessException}) with the message of the error. Step types that wait for the cluster
 * extend {@link UntypedPollingStepType}.
 */
public abstract class UntypedKubernetesStepType implements StepType {

  private final ClusterAccess access;
  private final JsonNode schema;

  protected UntypedKubernetesStepType(ClusterAccess access, String schemaJson) {
    this.access = access;
    this.schema = Schemas.parse(schemaJson);
  }

  @Override
  public final JsonNode withSchema() {
    return schema;
  }

  @Override
  public final StepPlan plan(StepInput input, StepContext context) {
    return plan(input, context, access.cluster(input, context));
  }

  @Override
  public final StepResult execute(StepInput input, StepContext context)
      throws InterruptedException {
    try {
      return execute(input, context, access.cluster(input, context));
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

  protected final ClusterAccess access() {
    return access;
  }

  /** Where the step reads the time: deadlines, ages, timestamps it writes. */
  protected final Clock clock() {
    return access.clock();
  }

  /**
   * The failed result of an expected failure (a cluster error, an input the schema let through), or
   * null when {@code error} is a programming error.
   */
  protected static StepResult failure(Throwable error) {
    return error instanceof ClusterAccessException || error instanceof IllegalArgumentException
        ? StepResult.failed(error.getMessage())
        : null;
  }
}
