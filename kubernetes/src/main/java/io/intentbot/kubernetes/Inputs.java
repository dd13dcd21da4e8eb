package io.intentbot.kubernetes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable copies for the collection fields of {@code with:} records, in their given order; an
 * absent field is empty.
 */
public final class Inputs {

  private Inputs() {}

  public static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
  }

  public static <K, V> Map<K, V> map(Map<K, V> values) {
    return values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** {@code value}, or {@code fallback} when it is absent. */
  public static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
