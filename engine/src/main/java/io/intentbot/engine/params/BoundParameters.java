package io.intentbot.engine.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parameter values after validation: typed values for expressions ({@code Long}, {@code Boolean},
 * {@code String}, or null when optional and not given), their text as people read it (secrets
 * masked), and the secret values to redact.
 */
public record BoundParameters(
    Map<String, Object> values, Map<String, String> display, Set<String> secrets) {

  public BoundParameters {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    display = Collections.unmodifiableMap(new LinkedHashMap<>(display));
    secrets = Set.copyOf(secrets);
  }
}
