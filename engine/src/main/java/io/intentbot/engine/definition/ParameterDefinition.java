package io.intentbot.engine.definition;

import java.util.List;

/**
 * One parameter of an intent.
 *
 * @param name the key people type ({@code app=web})
 * @param type its type
 * @param required whether it must be given (a parameter with a default is never required)
 * @param defaultValue the value when not given (already typed: Long, Boolean, String), or null
 * @param defaultExpression a {@code ${{ }}} default computed from other parameters or the
 *     environment, or null
 * @param pattern a regular expression a string value must match in full, or null
 * @param min smallest integer allowed, or null
 * @param max largest integer allowed, or null
 * @param values allowed values of an {@code enum}
 * @param description help text
 * @param secret whether its value is masked everywhere
 */
public record ParameterDefinition(
    String name,
    ParameterType type,
    boolean required,
    Object defaultValue,
    String defaultExpression,
    String pattern,
    Long min,
    Long max,
    List<String> values,
    String description,
    boolean secret) {

  public ParameterDefinition {
    values = List.copyOf(values);
  }

  /** The default as people read it, or null. */
  public String defaultText() {
    if (defaultValue != null) {
      return String.valueOf(defaultValue);
    }
    return defaultExpression;
  }
}
