package io.intentbot.engine.definition;

import io.intentbot.engine.yaml.SourceLocation;
import java.time.Duration;
import java.util.Map;

/**
 * One step as written in an intent file. Exactly one of {@code type} and {@code uses} is set.
 *
 * @param id unique within its list of steps
 * @param name a readable title, or null
 * @param type step type name, or null
 * @param uses library step ({@code lib/NAME}), or null
 * @param with the {@code with:} block with expressions unrendered
 * @param condition the {@code if:} expression, or null
 * @param timeout how long one attempt may take, or null for none
 * @param retry how to retry a failure
 * @param continueOnError whether the run goes on when this step fails
 * @param location where it is written, for messages
 */
public record StepDefinition(
    String id,
    String name,
    String type,
    String uses,
    Map<String, Object> with,
    String condition,
    Duration timeout,
    RetrySpec retry,
    boolean continueOnError,
    SourceLocation location) {

  public StepDefinition {
    with = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(with));
    if (retry == null) {
      retry = RetrySpec.NONE;
    }
  }

  /** The type name, or {@code uses:lib/NAME}, for display. */
  public String kind() {
    return type != null ? type : "uses:" + uses;
  }
}
