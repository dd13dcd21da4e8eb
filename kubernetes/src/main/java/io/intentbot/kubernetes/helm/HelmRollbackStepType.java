package io.intentbot.kubernetes.helm;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code helm.rollback}: rolls a release back to the previous revision or a given one, checked
 * against {@code helm history} first.
 *
 * <pre>{@code
 * with: { release: web, revision: 3, wait: true, timeout: 5m }   # revision absent: the previous
 * }</pre>
 *
 * Outputs: {@code release}, {@code from_revision}, {@code to_revision}.
 */
public final class HelmRollbackStepType extends HelmStepType {

  public static final String NAME = "helm.rollback";

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["release"],
       "properties":{
         "namespace":{"type":"string"},
         "release":{"type":"string","minLength":1},
         "revision":{"type":["integer","string"]},
         "wait":{"type":["boolean","string"]},
         "timeout":{"type":"string","description":"default 5m"}}}
      """;

  public HelmRollbackStepType(HelmCli helm) {
    super(helm, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Roll a Helm release back to the previous or a given revision";
  }

  @Override
  protected StepPlan describe(StepInput input, StepContext context) throws InterruptedException {
    String release = namespace(input, context) + "/" + input.string("release");
    try {
      long[] choice = choose(input, context);
      return StepPlan.of(
          "Roll back Helm release " + release + " from revision " + choice[0] + " to " + choice[1]);
    } catch (RuntimeException e) {
      return StepPlan.of(
          "Roll back Helm release " + release + " (would fail: " + e.getMessage() + ")");
    }
  }

  @Override
  protected StepResult run(StepInput input, StepContext context) throws InterruptedException {
    String release = input.string("release");
    long[] choice = choose(input, context);
    Duration timeout = input.duration("timeout", Duration.ofMinutes(5));
    List<String> args = new ArrayList<>(List.of("rollback", release, String.valueOf(choice[1])));
    args.addAll(target(input, context));
    if (input.bool("wait", false)) {
      args.add("--wait");
    }
    args.add("--timeout");
    args.add(timeout.toSeconds() + "s");
    context
        .output()
        .line("rolling back " + release + " from revision " + choice[0] + " to " + choice[1]);
    HelmCli.Result result = helm.run(args, timeout.plusMinutes(1), context.output()::line);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("release", release);
    outputs.put("from_revision", choice[0]);
    outputs.put("to_revision", choice[1]);
    if (!result.ok()) {
      return StepResult.failed("helm rollback " + release + " failed: " + result.error(), outputs);
    }
    return StepResult.succeeded(outputs);
  }

  /** {current, target}. */
  private long[] choose(StepInput input, StepContext context) throws InterruptedException {
    String release = input.string("release");
    List<Map<String, Object>> rows = HelmHistory.read(helm, release, 256, input, context);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Helm release " + release + " has no history");
    }
    long current = HelmHistory.current(rows);
    List<Long> known = rows.stream().map(r -> (Long) r.get("revision")).toList();
    long wanted = input.integer("revision", 0);
    if (wanted > 0) {
      if (!known.contains(wanted)) {
        throw new IllegalArgumentException(
            "revision "
                + wanted
                + " of release "
                + release
                + " does not exist (known: "
                + known
                + ")");
      }
      return new long[] {current, wanted};
    }
    return new long[] {
      current,
      known.stream()
          .filter(r -> r < current)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "release " + release + " has no revision before " + current))
    };
  }
}
