package io.intentbot.engine.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a plan does not know in one scope (the intent's, or one library step call's): paths such as
 * {@code steps.history} (a read that failed, a step that does not run while planning), {@code
 * steps.version.outputs.previous} or {@code params.deployed_image}. Expressions are evaluated over
 * the scope {@link #strip without} them, so one that reads them fails and is left open in the plan
 * ({@code ⟨expression⟩}) rather than evaluated into a default, while one that only names them in a
 * branch it does not take still gets its value.
 */
final class PlanUnknowns {

  private final List<List<String>> paths = new ArrayList<>();

  void add(String... path) {
    paths.add(List.of(path));
  }

  /** Whether anything under {@code steps} is unknown. */
  boolean anyStep() {
    return paths.stream().anyMatch(p -> p.get(0).equals("steps"));
  }

  /** The variables without the unknown paths (copied where they change; the scope is not). */
  Map<String, Object> strip(Map<String, Object> variables) {
    if (paths.isEmpty()) {
      return variables;
    }
    Map<String, Object> known = new LinkedHashMap<>(variables);
    paths.forEach(path -> remove(known, path, 0));
    return known;
  }

  private static void remove(Map<String, Object> map, List<String> path, int at) {
    String key = path.get(at);
    if (at == path.size() - 1) {
      map.remove(key);
      return;
    }
    if (map.get(key) instanceof Map<?, ?> inner) {
      Map<String, Object> copy = new LinkedHashMap<>();
      inner.forEach((k, v) -> copy.put(String.valueOf(k), v));
      map.put(key, copy);
      remove(copy, path, at + 1);
    }
  }
}
