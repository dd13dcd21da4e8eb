package io.intentbot.kubernetes.helm;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType.Purity;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Namespaced;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
public final class HelmHistoryStepType extends HelmStepType<HelmHistoryStepType.Input> {

  public static final String NAME = "helm.history";

  /** The {@code with:} block; {@code max} defaults to 20 revisions. */
  public record Input(String namespace, String release, Long max) implements Namespaced {
    public Input {
      max = Inputs.or(max, 20L);
    }
  }

  public HelmHistoryStepType(HelmCli helm) {
    super(NAME, "List the revisions of a Helm release", Input.class, Purity.PURE, helm);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("revisions", "current_revision", "previous_revision"));
  }

  @Override
  protected StepPlan describe(Input input, StepContext context) {
    return StepPlan.of(
        "List the revisions of Helm release " + namespace(input, context) + "/" + input.release());
  }

  @Override
  protected StepResult run(Input input, StepContext context) throws InterruptedException {
    List<Map<String, Object>> rows =
        HelmHistory.read(helm, input.release(), input.max(), input, context);
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
