package io.intentbot.kubernetes;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import io.intentbot.engine.step.TypedStepType.Purity;
import java.time.Clock;

/**
 * Base of the step types that talk to a cluster: the typed {@code with:} of {@link TypedStepType},
 * plus the cluster of the run (its client and the step's namespace, see {@link ClusterAccess}) and
 * cluster errors ({@link ClusterAccessException}) failing the step with their message; in {@link
 * #plan} they propagate, so the plan shows the step as not plannable. Step types that wait for the
 * cluster extend {@link PollingStepType}.
 *
 * @param <I> the {@code with:} record
 */
public abstract class KubernetesStepType<I extends Record & Namespaced> extends TypedStepType<I> {

  private final ClusterAccess access;

  protected KubernetesStepType(
      String name, String description, Class<I> inputType, ClusterAccess access) {
    this(name, description, inputType, Purity.IMPURE, access);
  }

  /** A step type that only reads ({@link Purity#PURE}) or changes things. */
  protected KubernetesStepType(
      String name, String description, Class<I> inputType, Purity purity, ClusterAccess access) {
    super(name, description, inputType, purity);
    this.access = access;
  }

  @Override
  protected final StepPlan plan(I input, StepContext context) {
    return plan(input, context, access.cluster(input, context));
  }

  @Override
  protected final StepResult execute(I input, StepContext context) throws InterruptedException {
    return execute(
        input,
        context,
        undoes() ? access.recoveryCluster(input, context) : access.cluster(input, context));
  }

  /**
   * Whether this step type undoes a failed change (what an {@code on_failure} runs): its calls then
   * pass circuit breakers of their own ({@link ResilientCalls#recovery}), so the failures that made
   * the change fail cannot refuse its undo untried.
   */
  protected boolean undoes() {
    return false;
  }

  @Override
  protected final boolean failsTheStep(RuntimeException e) {
    return ClusterAccess.failsTheStep(e);
  }

  protected abstract StepPlan plan(I input, StepContext context, Cluster cluster);

  protected abstract StepResult execute(I input, StepContext context, Cluster cluster)
      throws InterruptedException;

  /** Where the step reads the time: deadlines, ages, timestamps it writes. */
  protected final Clock clock(StepContext context) {
    return access.clock(context);
  }
}
