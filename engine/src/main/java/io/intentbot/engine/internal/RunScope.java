package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables expressions read: {@code params}, {@code steps}, {@code env}, {@code run}. One per
 * intent run and one per library step call; {@code steps} grows as steps finish.
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

  void recordOutputs(String stepId, Map<String, Object> outputs) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("outputs", new LinkedHashMap<>(outputs));
    steps.put(stepId, step);
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
