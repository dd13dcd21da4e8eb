package io.intentbot.engine.model;

import java.time.Instant;
import java.util.Map;

/**
 * One run as the audit store keeps it. Values are already redacted.
 *
 * @param id run id, unique, short enough to type (e.g. {@code r-7f3k2q})
 * @param intent intent name
 * @param parameters the bound parameter values as text, secrets masked
 * @param requester who asked
 * @param environment target environment, or null
 * @param app target app, or null
 * @param status current status
 * @param dryRun whether this was a dry run
 * @param planHash hash of the plan shown (and approved), or null
 * @param lockKey rendered lock key, or null
 * @param createdAt when the request was accepted
 * @param startedAt when steps began, or null
 * @param finishedAt when it reached a terminal status, or null
 * @param outputs the intent's outputs (JSON-compatible values)
 * @param reason why it failed, was refused, cancelled, rejected; or null
 * @param origin where it came from (e.g. {@code channel}, {@code thread_ts}, {@code source}), for
 *     adapters to find their thread again
 */
public record RunRecord(
    String id,
    String intent,
    Map<String, String> parameters,
    String requester,
    String environment,
    String app,
    RunStatus status,
    boolean dryRun,
    String planHash,
    String lockKey,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Object> outputs,
    String reason,
    Map<String, String> origin) {

  /** The origin key naming the environment whose approval policy gates the run. */
  public static final String APPROVAL_ENVIRONMENT = "approval_environment";

  /**
   * The environment whose approval policy applies: the strictest one the run touches (recorded in
   * its origin when it differs from {@link #environment()}), else its own.
   */
  public String approvalEnvironment() {
    String gate = origin.get(APPROVAL_ENVIRONMENT);
    return gate != null ? gate : environment;
  }

  public RunRecord {
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    origin = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(origin));
  }

  public RunRecord withStatus(RunStatus newStatus, String newReason) {
    return progressed(newStatus, startedAt, finishedAt, outputs, newReason);
  }

  public RunRecord started(Instant at) {
    return progressed(RunStatus.RUNNING, at, finishedAt, outputs, reason);
  }

  public RunRecord finished(
      RunStatus terminal, Instant at, Map<String, Object> newOutputs, String newReason) {
    return progressed(terminal, startedAt, at, newOutputs, newReason);
  }

  /** This run with what changes as it goes along; what it was asked for stays. */
  private RunRecord progressed(
      RunStatus newStatus,
      Instant newStartedAt,
      Instant newFinishedAt,
      Map<String, Object> newOutputs,
      String newReason) {
    return new RunRecord(
        id,
        intent,
        parameters,
        requester,
        environment,
        app,
        newStatus,
        dryRun,
        planHash,
        lockKey,
        createdAt,
        newStartedAt,
        newFinishedAt,
        newOutputs,
        newReason,
        origin);
  }
}
