package io.intentbot.kubernetes;

import io.intentbot.engine.step.StepContext;
import java.util.Locale;

/** Object names derived from a run, stable between the plan and the execution of one run. */
public final class Names {

  private Names() {}

  /** {@code prefix-<run id>-<step id>}, made a valid DNS-1123 label of at most 63 characters. */
  public static String forStep(String prefix, StepContext context) {
    String name =
        (prefix + "-" + context.runId() + "-" + context.stepId())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("-+", "-");
    if (name.length() > 63) {
      name = name.substring(0, 63);
    }
    return name.replaceAll("^-+|-+$", "");
  }
}
