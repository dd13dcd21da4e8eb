package io.intentbot.engine.definition;

import io.intentbot.engine.text.Suggestions;
import io.intentbot.engine.yaml.LoadProblem;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The loaded intents and library steps of one folder, and every problem found loading them. An
 * intent with a problem is left out; {@link #problems()} says why. Immutable; load a new one to
 * pick up changes.
 */
public final class IntentCatalog {

  private final Path dir;
  private final Map<String, IntentDefinition> intents;
  private final Map<String, LibraryStep> library;
  private final List<LoadProblem> problems;

  public IntentCatalog(
      Path dir,
      Map<String, IntentDefinition> intents,
      Map<String, LibraryStep> library,
      List<LoadProblem> problems) {
    this.dir = dir;
    this.intents = Collections.unmodifiableMap(new TreeMap<>(intents));
    this.library = Collections.unmodifiableMap(new TreeMap<>(library));
    this.problems = List.copyOf(problems);
  }

  public Path dir() {
    return dir;
  }

  /** Intents sorted by name. */
  public List<IntentDefinition> all() {
    return List.copyOf(intents.values());
  }

  public Optional<IntentDefinition> find(String name) {
    return Optional.ofNullable(intents.get(name));
  }

  public Optional<LibraryStep> libraryStep(String name) {
    return Optional.ofNullable(library.get(name));
  }

  public Map<String, LibraryStep> library() {
    return library;
  }

  public List<LoadProblem> problems() {
    return problems;
  }

  /** Up to {@code max} intent names closest to a mistyped one, closest first. */
  public List<String> closest(String name, int max) {
    String typed = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    return intents.keySet().stream()
        .map(candidate -> Map.entry(candidate, score(typed, candidate)))
        .filter(e -> e.getValue() <= Math.max(3, typed.length() / 2) || e.getKey().contains(typed))
        .sorted(Comparator.comparing(Map.Entry<String, Integer>::getValue))
        .limit(max)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static int score(String typed, String candidate) {
    if (!typed.isEmpty() && candidate.startsWith(typed)) {
      return 0;
    }
    return Suggestions.distance(typed, candidate);
  }
}
