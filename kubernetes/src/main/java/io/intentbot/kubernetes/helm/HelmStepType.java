package io.intentbot.kubernetes.helm;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.Namespaced;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the Helm step types: the namespace of the run, the cluster flags, and errors (helm
 * missing, a failed command) turned into a failed {@link StepResult}.
 *
 * @param <I> the {@code with:} record
 */
abstract class HelmStepType<I extends Record & Namespaced> extends TypedStepType<I> {

  protected final HelmCli helm;

  HelmStepType(String name, String description, Class<I> inputType, HelmCli helm) {
    this(name, description, inputType, Purity.IMPURE, helm);
  }

  /** A step type that only reads ({@link Purity#PURE}) or changes things. */
  HelmStepType(String name, String description, Class<I> inputType, Purity purity, HelmCli helm) {
    super(name, description, inputType, purity);
    this.helm = helm;
  }

  @Override
  protected final StepPlan plan(I input, StepContext context) {
    try {
      return describe(input, context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while planning", e);
    }
  }

  @Override
  protected final StepResult execute(I input, StepContext context) throws InterruptedException {
    return run(input, context);
  }

  @Override
  protected final boolean failsTheStep(RuntimeException e) {
    return ClusterAccess.failsTheStep(e);
  }

  protected abstract StepPlan describe(I input, StepContext context) throws InterruptedException;

  protected abstract StepResult run(I input, StepContext context) throws InterruptedException;

  static String namespace(Namespaced input, StepContext context) {
    String namespace = KubernetesClients.namespace(input.namespace(), context);
    if (namespace == null) {
      throw new IllegalArgumentException(
          "'namespace' is required when the intent has no environment");
    }
    return namespace;
  }

  /** {@code --namespace NS} plus the cluster flags of the run. */
  static List<String> target(Namespaced input, StepContext context) {
    List<String> args = new ArrayList<>(List.of("--namespace", namespace(input, context)));
    args.addAll(HelmCli.clusterFlags(context));
    return args;
  }
}
