package io.intentbot.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One benchmark's figures, in the order they were added: printed as one JSON line on stdout (for
 * tools) and as a table on stderr (for people), with each figure's target where it has one.
 */
final class Figures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, String> targets = new LinkedHashMap<>();

  Figures(String benchmark) {
    values.put("benchmark", benchmark);
  }

  Figures put(String key, Object value) {
    values.put(key, value instanceof Double d ? round(d) : value);
    return this;
  }

  /** A figure with its target, e.g. {@code "< 25"}; the table says whether it was met. */
  Figures put(String key, Object value, String target) {
    put(key, value);
    targets.put(key, target);
    return this;
  }

  Object get(String key) {
    return values.get(key);
  }

  String json() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  void print(PrintStream out, PrintStream table) {
    out.println(json());
    out.flush();
    table.println();
    table.printf("%-50s %14s   %s%n", values.get("benchmark"), "measured", "target");
    values.forEach(
        (key, value) -> {
          if (key.equals("benchmark")) {
            return;
          }
          String target = targets.get(key);
          String verdict =
              target == null ? "" : target + (meets(value, target) ? "  ok" : "  MISSED");
          table.printf("  %-48s %14s   %s%n", key, value, verdict);
        });
    table.flush();
  }

  static boolean meets(Object value, String target) {
    if (!(value instanceof Number n)) {
      return false;
    }
    String[] parts = target.strip().split("\\s+", 2);
    double limit = Double.parseDouble(parts[1]);
    double v = n.doubleValue();
    return switch (parts[0]) {
      case "<" -> v < limit;
      case "<=" -> v <= limit;
      case "==" -> v == limit;
      default -> throw new IllegalArgumentException("target " + target);
    };
  }

  static double round(double d) {
    return Math.round(d * 100.0) / 100.0;
  }
}
