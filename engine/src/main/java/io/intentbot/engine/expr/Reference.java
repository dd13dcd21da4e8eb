package io.intentbot.engine.expr;

import java.util.List;

/**
 * A path an expression reads, e.g. {@code [params, app]} or {@code [steps, version, outputs,
 * version]}. Only constant field selections and string indexes are followed.
 */
public record Reference(List<String> path) {

  public Reference {
    path = List.copyOf(path);
  }

  public String root() {
    return path.get(0);
  }

  @Override
  public String toString() {
    return String.join(".", path);
  }
}
