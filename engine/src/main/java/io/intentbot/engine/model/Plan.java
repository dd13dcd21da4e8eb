package io.intentbot.engine.model;

import java.util.List;
import java.util.Map;

/**
 * What a run would do: every step's dry-run description, in order, and a hash over the intent file,
 * the bound parameters, the environment's config and those descriptions. The same intent,
 * parameters and config give the same hash; an approval binds to it.
 *
 * <p>A plan is <em>incomplete</em> when a read failed while it was made ({@link #failedReads}):
 * what depends on that read shows as {@code ⟨expression⟩}, never as a default. A dry run of an
 * incomplete plan fails, and no approval is asked on one ({@link Refusal.IncompletePlan}).
 *
 * @param datasources the datasources the steps use, as far as the plan knows them; {@link
 *     #UNKNOWN_DATASOURCE} stands for one that is not known before the run (then the run counts as
 *     touching every datasource's environment)
 * @param failedReads the reads that failed while planning, in step order; empty for a complete plan
 */
public record Plan(
    String intent,
    Map<String, String> parameters,
    String environment,
    List<PlannedStep> steps,
    String hash,
    List<String> datasources,
    List<FailedRead> failedReads) {

  /** A datasource named by an expression that cannot be evaluated before the run. */
  public static final String UNKNOWN_DATASOURCE = "*";

  public Plan {
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    steps = List.copyOf(steps);
    datasources = datasources == null ? List.of() : List.copyOf(datasources);
    failedReads = failedReads == null ? List.of() : List.copyOf(failedReads);
  }

  /** A complete plan whose steps use {@code datasources}. */
  public Plan(
      String intent,
      Map<String, String> parameters,
      String environment,
      List<PlannedStep> steps,
      String hash,
      List<String> datasources) {
    this(intent, parameters, environment, steps, hash, datasources, List.of());
  }

  /** Whether every read the plan needed succeeded (no {@link #failedReads}). */
  public boolean complete() {
    return failedReads.isEmpty();
  }

  /** A plan whose steps use no datasource. */
  public Plan(
      String intent,
      Map<String, String> parameters,
      String environment,
      List<PlannedStep> steps,
      String hash) {
    this(intent, parameters, environment, steps, hash, List.of(), List.of());
  }

  /**
   * One step of a plan.
   *
   * @param id step id
   * @param phase {@code prereq}, {@code main} or {@code on_failure}
   * @param type step type name or {@code uses:lib/NAME}
   * @param summary one line
   * @param details more lines (may be empty)
   * @param condition the {@code if:} expression, or null
   */
  public record PlannedStep(
      String id,
      String phase,
      String type,
      String summary,
      List<String> details,
      String condition) {
    public PlannedStep {
      details = List.copyOf(details);
    }
  }

  /** Readable text: one line per step, details indented. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (PlannedStep step : steps) {
      String prefix =
          switch (step.phase()) {
            case "prereq" -> "check";
            case "on_failure" -> "on failure";
            default -> String.valueOf(++n);
          };
      out.append(prefix).append(". ").append(step.id()).append(": ").append(step.summary());
      if (step.condition() != null) {
        out.append("  (if ").append(step.condition()).append(')');
      }
      out.append('\n');
      step.details().forEach(d -> out.append("     ").append(d).append('\n'));
    }
    return out.toString();
  }
}
