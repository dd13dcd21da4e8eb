package io.intentbot.kubernetes.apply;

import com.fasterxml.jackson.core.type.TypeReference;
import io.intentbot.engine.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which fields the last apply set, recorded on the object, so that the next apply removes the ones
 * its manifest no longer sets, as {@code kubectl apply} does with its last-applied configuration,
 * but fields set by others stay. Unlike kubectl's annotation it records the field paths only, never
 * values, so a Secret's data does not end up in an annotation.
 */
final class AppliedFields {

  static final String ANNOTATION = "intentbot.io/applied-fields";

  private AppliedFields() {}

  /**
   * The leaf paths {@code manifest} sets (lists count as one field), status and metadata aside but
   * labels and annotations.
   */
  static List<List<String>> of(Map<String, Object> manifest) {
    List<List<String>> paths = new ArrayList<>();
    collect(List.of(), manifest, paths);
    paths.removeIf(p -> p.equals(List.of("metadata", "annotations", ANNOTATION)));
    paths.removeIf(p -> p.get(0).equals("status"));
    paths.removeIf(
        p ->
            p.get(0).equals("metadata")
                && !(p.size() > 2
                    && (p.get(1).equals("labels") || p.get(1).equals("annotations"))));
    paths.removeIf(p -> p.get(0).equals("apiVersion") || p.get(0).equals("kind"));
    return paths;
  }

  /** What the live object says the last apply set, or nothing. */
  @SuppressWarnings("unchecked")
  static List<List<String>> recorded(Map<String, Object> live) {
    Object metadata = live.get("metadata");
    if (!(metadata instanceof Map<?, ?> m) || !(m.get("annotations") instanceof Map<?, ?> a)) {
      return List.of();
    }
    Object text = ((Map<String, Object>) a).get(ANNOTATION);
    if (text == null) {
      return List.of();
    }
    try {
      return Json.MAPPER.readValue(String.valueOf(text), new TypeReference<>() {});
    } catch (Exception e) {
      return List.of();
    }
  }

  static String encode(List<List<String>> paths) {
    try {
      return Json.MAPPER.writeValueAsString(paths);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The recorded paths the manifest no longer sets and the live object still has. */
  static List<List<String>> dropped(Map<String, Object> live, Map<String, Object> manifest) {
    List<List<String>> now = of(manifest);
    List<List<String>> dropped = new ArrayList<>();
    for (List<String> path : recorded(live)) {
      if (!now.contains(path) && !coveredBy(now, path) && get(live, path) != null) {
        dropped.add(path);
      }
    }
    return dropped;
  }

  /** Whether the manifest still sets a parent of {@code path} as a value (a list, say). */
  private static boolean coveredBy(List<List<String>> now, List<String> path) {
    return now.stream()
        .anyMatch(p -> p.size() < path.size() && path.subList(0, p.size()).equals(p));
  }

  @SuppressWarnings("unchecked")
  static Object get(Map<String, Object> object, List<String> path) {
    Object at = object;
    for (String key : path) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = ((Map<String, Object>) map).get(key);
    }
    return at;
  }

  /** Removes {@code path} from {@code object}, and the maps it leaves empty. */
  @SuppressWarnings("unchecked")
  static void remove(Map<String, Object> object, List<String> path) {
    if (path.size() == 1) {
      object.remove(path.get(0));
      return;
    }
    if (object.get(path.get(0)) instanceof Map<?, ?> child) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) child);
      remove(copy, path.subList(1, path.size()));
      if (copy.isEmpty() && path.size() > 1 && !path.get(0).equals("metadata")) {
        object.remove(path.get(0));
      } else {
        object.put(path.get(0), copy);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void collect(List<String> at, Object value, List<List<String>> paths) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      ((Map<String, Object>) map)
          .forEach(
              (key, child) -> {
                List<String> next = new ArrayList<>(at);
                next.add(key);
                collect(next, child, paths);
              });
    } else if (!at.isEmpty() && value != null) {
      paths.add(at);
    }
  }
}
