package io.intentbot.kubernetes.helm;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code helm.history}: the revisions of a Helm release, newest first. Read-only ({@link #pure()}).
 *
 * <pre>{@code
 * with: { release: web, max: 10 }
 * }</pre>
 *
 * Outputs: {@code revisions} (each {@code revision, updated, status, chart, app_version,
 * description}), {@code current_revision}, {@code previous_revision} (0 when none).
 */
public final class HelmHistoryStepType extends HelmStepType {

  public static final String NAME = "helm.history";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["release"],
       "properties":{
         "namespace":{"type":"string"},
         "release":{"type":"string","minLength":1},
         "max":{"type":["integer","string"],"description":"default 20"}}}
      """;

  public HelmHistoryStepType(HelmCli helm) {
    super(helm, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "List the revisions of a Helm release";
  }

  @Override
  public boolean pure() {
    return true;
  }

  @Override
  protected StepPlan describe(StepInput input, StepContext context) {
    return StepPlan.of(
        "List the revisions of Helm release "
            + namespace(input, context)
            + "/"
            + input.string("release"));
  }

  @Override
  protected StepResult run(StepInput input, StepContext context) throws InterruptedException {
    List<Map<String, Object>> rows =
        HelmHistory.read(helm, input.string("release"), input.integer("max", 20), input, context);
    long current = HelmHistory.current(rows);
    for (Map<String, Object> row : rows) {
      context
          .output()
          .line(
              row.get("revision")
                  + "  "
                  + row.get("status")
                  + "  "
                  + row.get("chart")
                  + "  "
                  + row.get("updated"));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("revisions", rows);
    outputs.put("current_revision", current);
    outputs.put(
        "previous_revision",
        rows.stream()
            .map(r -> (Long) r.get("revision"))
            .filter(r -> r < current)
            .findFirst()
            .orElse(0L));
    return StepResult.succeeded(outputs);
  }
}
