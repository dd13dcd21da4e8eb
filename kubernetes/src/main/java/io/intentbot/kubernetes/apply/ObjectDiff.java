package io.intentbot.kubernetes.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a desired object with the live one as {@code kubectl apply} would see it: only the
 * fields the desired object sets count, and server-managed metadata and status are ignored.
 */
final class ObjectDiff {

  private static final Set<String> MANAGED_METADATA =
      Set.of(
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "managedFields",
          "selfLink",
          "deletionTimestamp");

  private ObjectDiff() {}

  /** kubectl diff's masks for a Secret's values. */
  static final String MASK = "***";

  static final String MASK_BEFORE = "*** (before)";
  static final String MASK_AFTER = "*** (after)";

  /**
   * One line per field the desired object sets differently, e.g. {@code data.a: 1 -> 2}. A Secret's
   * {@code data} and {@code stringData} values are masked as {@code kubectl diff} masks them:
   * {@code *** (before) -> *** (after)} for a changed value, {@code (none) -> ***} for a new one;
   * the key names stay visible.
   */
  static List<String> differences(Map<String, Object> desired, Map<String, Object> live) {
    List<String> lines = new ArrayList<>();
    compare("", clean(desired), live, lines, "Secret".equals(desired.get("kind")));
    return lines;
  }

  /** The live object with the desired one laid over it: maps merge, lists and values replace. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> live, Map<String, Object> desired) {
    Map<String, Object> merged = new LinkedHashMap<>(live);
    clean(desired)
        .forEach(
            (key, value) -> {
              Object current = merged.get(key);
              if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
                merged.put(key, merge((Map<String, Object>) c, (Map<String, Object>) m));
              } else {
                merged.put(key, value);
              }
            });
    return merged;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> clean(Map<String, Object> desired) {
    Map<String, Object> copy = new LinkedHashMap<>(desired);
    copy.remove("status");
    if (copy.get("metadata") instanceof Map<?, ?> metadata) {
      Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) metadata);
      MANAGED_METADATA.forEach(meta::remove);
      copy.put("metadata", meta);
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static void compare(
      String path, Object desired, Object live, List<String> lines, boolean secret) {
    if (secret && (path.startsWith("data.") || path.startsWith("stringData."))) {
      if (!sameValue(desired, live)) {
        lines.add(
            path
                + ": "
                + (live == null ? "(none)" : desired == null ? MASK : MASK_BEFORE)
                + " -> "
                + (desired == null ? "(none)" : live == null ? MASK : MASK_AFTER));
      }
      return;
    }
    if (desired instanceof Map<?, ?> d && live instanceof Map<?, ?> l) {
      ((Map<String, Object>) d)
          .forEach((key, value) -> compare(join(path, key), value, l.get(key), lines, secret));
      return;
    }
    if (secret
        && (path.equals("data") || path.equals("stringData"))
        && desired instanceof Map<?, ?> d) {
      ((Map<String, Object>) d)
          .forEach((key, value) -> compare(join(path, key), value, null, lines, true));
      return;
    }
    if (desired instanceof List<?> d && live instanceof List<?> l && d.size() == l.size()) {
      for (int i = 0; i < d.size(); i++) {
        compare(path + "[" + i + "]", d.get(i), l.get(i), lines, secret);
      }
      return;
    }
    if (!sameValue(desired, live)) {
      lines.add(path + ": " + show(live) + " -> " + show(desired));
    }
  }

  private static boolean sameValue(Object desired, Object live) {
    if (desired instanceof Number a && live instanceof Number b) {
      return a.doubleValue() == b.doubleValue();
    }
    if (desired != null
        && live != null
        && !(desired instanceof Map)
        && !(desired instanceof List)) {
      return String.valueOf(desired).equals(String.valueOf(live));
    }
    return Objects.equals(desired, live);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String show(Object value) {
    if (value == null) {
      return "(none)";
    }
    String text = String.valueOf(value);
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}
