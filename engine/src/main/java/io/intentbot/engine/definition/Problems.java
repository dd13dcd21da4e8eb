package io.intentbot.engine.definition;

import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.engine.yaml.LocatedYaml;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one file, placing each at the node its JSON Pointer names. */
final class Problems {

  private final LocatedYaml yaml;
  private final List<LoadProblem> found = new ArrayList<>();

  Problems(LocatedYaml yaml) {
    this.yaml = yaml;
  }

  void add(String pointer, String message) {
    found.add(new LoadProblem(yaml.locate(pointer), message));
  }

  void add(LoadProblem problem) {
    found.add(problem);
  }

  boolean any() {
    return !found.isEmpty();
  }

  List<LoadProblem> list() {
    return found;
  }
}
