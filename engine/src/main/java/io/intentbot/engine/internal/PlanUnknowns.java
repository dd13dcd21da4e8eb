package io.intentbot.engine.internal;

import io.intentbot.engine.expr.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a plan does not know in one scope (the intent's, or one library step call's): paths such as
 * {@code steps.history} (a read that failed, a step that does not run while planning), {@code
 * steps.version.outputs.previous} or {@code params.deployed_image}. An expression reading one of
 * them, or a value that holds one, is left open in the plan rather than evaluated into a default.
 */
final class PlanUnknowns implements Predicate<Reference> {

  private final List<List<String>> paths = new ArrayList<>();

  void add(String... path) {
    paths.add(List.of(path));
  }

  /** Whether anything under {@code steps} is unknown. */
  boolean anyStep() {
    return paths.stream().anyMatch(p -> p.get(0).equals("steps"));
  }

  /**
   * Whether the reference reads an unknown path: one is a prefix of the other ({@code
   * steps.history.outputs.revisions} reads the unknown {@code steps.history}; {@code steps} as a
   * whole holds it).
   */
  @Override
  public boolean test(Reference reference) {
    List<String> read = reference.path();
    for (List<String> path : paths) {
      int common = Math.min(read.size(), path.size());
      if (read.subList(0, common).equals(path.subList(0, common))) {
        return true;
      }
    }
    return false;
  }
}
