package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test data for the audit store. */
final class Runs {

  static final Instant T0 = Instant.parse("2026-11-25T01:00:00.123Z");

  private Runs() {}

  static RunRecord run(String id, String intent, RunStatus status, Instant createdAt) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("app", "web");
    params.put("env", "production");
    params.put("version", "1.4.2");
    Map<String, Object> outputs = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    origin.put("source", "test");
    origin.put("channel", "C01");
    return new RunRecord(
        id,
        intent,
        params,
        "U01REQ",
        "production",
        "web",
        status,
        false,
        "plan-" + id,
        "web/production",
        createdAt,
        null,
        null,
        outputs,
        null,
        origin);
  }

  static RunRecord run(String id, RunStatus status) {
    return run(id, "deploy-app", status, T0);
  }

  static RunRecord finished(String id, Instant createdAt) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("version", "1.4.2");
    outputs.put("replicas", 3);
    return run(id, "deploy-app", RunStatus.RUNNING, createdAt)
        .started(createdAt.plusMillis(5))
        .finished(RunStatus.SUCCEEDED, createdAt.plusSeconds(42), outputs, null);
  }

  static StepRecord step(String runId, int index, StepStatus status, Instant startedAt) {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("exit_code", 0);
    outputs.put("stdout", "ok");
    outputs.put("lines", List.of("a", "b"));
    return new StepRecord(
        runId,
        index,
        "step" + index,
        "main",
        "shell",
        status,
        startedAt,
        status == StepStatus.RUNNING ? null : startedAt.plusMillis(1500),
        1,
        status == StepStatus.RUNNING ? Map.of() : outputs,
        status == StepStatus.RUNNING ? null : "line 1\nline 2\n",
        null);
  }

  static ApprovalRecord approval(String runId, String user, Instant at) {
    return new ApprovalRecord(runId, user, true, "plan-" + runId, at, "looks good");
  }
}
