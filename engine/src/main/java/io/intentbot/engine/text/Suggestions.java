package io.intentbot.engine.text;

import java.util.Collection;

/**
 * "Did you mean" for mistyped names (step types, library steps, parameters, apps, environments):
 * the closest known name by edit distance, when it is close enough to be a typo.
 */
public final class Suggestions {

  private Suggestions() {}

  /** {@code " (did you mean 'x'?)"}, or an empty string when nothing is close. */
  public static String didYouMean(String typed, Collection<String> known) {
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    for (String candidate : known) {
      int score = distance(typed, candidate);
      if (score < bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    return best != null && bestScore <= Math.max(2, typed.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  /** Levenshtein edit distance. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
