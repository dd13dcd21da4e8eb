package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.definition.StepDefinition;
import io.intentbot.engine.model.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables expressions read: {@code params}, {@code steps}, {@code env}, {@code run}. One per
 * intent run and one per library step call.
 *
 * <p>{@code steps.X} exists for every step the scope declares, from the start: {@code status} is
 * {@code not_run} and {@code outputs} is empty until the step ends, then {@code skipped}, {@code
 * succeeded} or {@code failed} (a cancelled or timed-out step counts as failed) with its outputs.
 * So {@code on_failure} can test a step the run never reached ({@code steps.rollout.status ==
 * 'not_run'}, {@code has(steps.rollout.outputs.changed)}).
 */
final class RunScope {

  private final Map<String, Object> params;
  private final Map<String, Object> env;
  private final Map<String, Object> run;
  private final Map<String, Object> steps = new LinkedHashMap<>();

  RunScope(Map<String, Object> params, Map<String, Object> env, Map<String, Object> run) {
    this.params = new LinkedHashMap<>(params);
    this.env = env;
    this.run = run;
  }

  static Map<String, Object> environment(EnvironmentConfig environment, String app) {
    Map<String, Object> env = new LinkedHashMap<>();
    if (environment == null) {
      return env;
    }
    env.putAll(environment.extra());
    env.put("name", environment.name());
    env.put("namespace", environment.namespaceFor(app));
    env.put("protected", environment.isProtected());
    env.put("kube_context", environment.kubeContext());
    return env;
  }

  static Map<String, Object> run(String id, String requester, String intent, boolean dryRun) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("id", id);
    run.put("requester", requester);
    run.put("intent", intent);
    run.put("dry_run", dryRun);
    return run;
  }

  /** A scope for a library step: its own params and steps, the same env and run. */
  RunScope child(Map<String, Object> childParams) {
    return new RunScope(childParams, env, run);
  }

  void putParam(String name, Object value) {
    params.put(name, value);
  }

  /** The status of a step that has not ended (or not started). */
  static final String NOT_RUN = "not_run";

  /** Makes {@code steps.X} exist, {@code not_run} with no outputs, for each step not seen yet. */
  void declare(List<StepDefinition> definitions) {
    for (StepDefinition definition : definitions) {
      if (!steps.containsKey(definition.id())) {
        steps.put(definition.id(), entry(NOT_RUN, Map.of()));
      }
    }
  }

  /** A step ended: its status as expressions read it, and its outputs. */
  void record(String stepId, StepStatus status, Map<String, Object> outputs) {
    steps.put(stepId, entry(statusName(status), outputs));
  }

  /** {@code skipped}, {@code succeeded}, {@code failed}; {@code not_run} for one not ended. */
  static String statusName(StepStatus status) {
    return switch (status) {
      case SKIPPED -> "skipped";
      case SUCCEEDED -> "succeeded";
      case FAILED, CANCELLED -> "failed";
      case RUNNING, PLANNED -> NOT_RUN;
    };
  }

  private static Map<String, Object> entry(String status, Map<String, Object> outputs) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("status", status);
    step.put("outputs", new LinkedHashMap<>(outputs));
    return step;
  }

  Map<String, Object> variables() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("params", params);
    all.put("steps", steps);
    all.put("env", env);
    all.put("run", run);
    return all;
  }

  Map<String, Object> params() {
    return params;
  }
}
