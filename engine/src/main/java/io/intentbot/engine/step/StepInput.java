package io.intentbot.engine.step;

import io.intentbot.engine.text.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rendered {@code with:} block of one step: every {@code ${{ }}} expression already evaluated.
 * Values are strings, numbers, booleans, lists and maps, as in YAML. The accessors convert
 * leniently (a number given as a string is still a number) and fail with a message that names the
 * field.
 */
public record StepInput(Map<String, Object> values) {

  public StepInput {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public static StepInput of(Map<String, ?> values) {
    return new StepInput(new LinkedHashMap<>(values));
  }

  public boolean has(String key) {
    return values.get(key) != null;
  }

  public Object raw(String key) {
    return values.get(key);
  }

  public String string(String key) {
    return optionalString(key)
        .orElseThrow(() -> new IllegalArgumentException("'" + key + "' is required"));
  }

  public Optional<String> optionalString(String key) {
    Object value = values.get(key);
    return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
  }

  public String string(String key, String fallback) {
    return optionalString(key).orElse(fallback);
  }

  public long integer(String key, long fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + key + "' must be a whole number, got '" + value + "'");
    }
  }

  public boolean bool(String key, boolean fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException("'" + key + "' must be true or false, got '" + value + "'");
  }

  public Duration duration(String key, Duration fallback) {
    Object value = values.get(key);
    if (value == null) {
      return fallback;
    }
    return Durations.parse(String.valueOf(value))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + key + "' must be a duration such as 30s, 5m or 1h, got '" + value + "'"));
  }

  public List<String> strings(String key) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  public List<Object> list(String key) {
    Object value = values.get(key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return List.copyOf(list);
    }
    return List.of(value);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String key) {
    Object value = values.get(key);
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("'" + key + "' must be a mapping, got '" + value + "'");
  }

  /** String values of a mapping field, e.g. environment variables. */
  public Map<String, String> stringMap(String key) {
    Map<String, String> result = new LinkedHashMap<>();
    map(key).forEach((k, v) -> result.put(k, v == null ? "" : String.valueOf(v)));
    return result;
  }
}
