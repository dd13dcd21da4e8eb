package io.intentbot.kubernetes.helm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Namespaced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
public final class HelmRollbackStepType extends HelmStepType<HelmRollbackStepType.Input> {

  public static final String NAME = "helm.rollback";

  /** The {@code with:} block; {@code revision} absent or 0 means the previous one. */
  public record Input(
      String namespace,
      String release,
      long revision,
      @JsonProperty("wait") boolean waitForResources,
      Duration timeout)
      implements Namespaced {
    public Input {
      timeout = Inputs.or(timeout, Duration.ofMinutes(5));
    }
  }

  public HelmRollbackStepType(HelmCli helm) {
    super(NAME, "Roll a Helm release back to the previous or a given revision", Input.class, helm);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("release", "from_revision", "to_revision"));
  }

  @Override
  protected StepPlan describe(Input input, StepContext context) throws InterruptedException {
    String release = namespace(input, context) + "/" + input.release();
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
  protected StepResult run(Input input, StepContext context) throws InterruptedException {
    String release = input.release();
    long[] choice = choose(input, context);
    Duration timeout = input.timeout();
    List<String> args = new ArrayList<>(List.of("rollback", release, String.valueOf(choice[1])));
    args.addAll(target(input, context));
    if (input.waitForResources()) {
      args.add("--wait");
    }
    args.add("--timeout");
    args.add(HelmCli.goDuration(timeout));
    context
        .output()
        .line("rolling back " + release + " from revision " + choice[0] + " to " + choice[1]);
    HelmCli.Result result = helm.run(args, helm.stop(timeout, false), context.output()::line);
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("release", release);
    outputs.put("from_revision", choice[0]);
    outputs.put("to_revision", choice[1]);
    if (result.stopped() != null) {
      return StepResult.failed(
          HelmCli.describe("helm rollback " + release, result.stopped(), result), outputs);
    }
    if (!result.ok()) {
      return StepResult.failed("helm rollback " + release + " failed: " + result.error(), outputs);
    }
    return StepResult.succeeded(outputs);
  }

  /** {current, target}. */
  private long[] choose(Input input, StepContext context) throws InterruptedException {
    String release = input.release();
    List<Map<String, Object>> rows = HelmHistory.read(helm, release, 256, input, context);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("Helm release " + release + " has no history");
    }
    long current = HelmHistory.current(rows);
    List<Long> known = rows.stream().map(r -> (Long) r.get("revision")).toList();
    long wanted = input.revision();
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
