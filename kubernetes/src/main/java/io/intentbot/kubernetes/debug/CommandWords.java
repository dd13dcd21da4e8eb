package io.intentbot.kubernetes.debug;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line typed in chat into arguments the way a shell splits words, and nothing
 * more: whitespace separates words, single quotes keep everything literal, double quotes keep
 * spaces, a backslash escapes the next character. There is no expansion of any kind, so {@code $},
 * {@code *} or {@code |} inside a word are just characters of an argument.
 *
 * <pre>{@code
 * CommandWords.split("cat '/data/my file' -n")   // [cat, /data/my file, -n]
 * }</pre>
 */
public final class CommandWords {

  private CommandWords() {}

  /**
   * @throws IllegalArgumentException naming the problem when a quote is left open or the line holds
   *     no word
   */
  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\\') {
        if (i + 1 == line.length()) {
          throw new IllegalArgumentException(
              "the command ends with a lone backslash; remove it or escape it as \\\\");
        }
        word.append(line.charAt(++i));
        inWord = true;
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "the command has an unclosed " + (quote == '"' ? "double" : "single") + " quote");
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("the command is empty; give at least the program to run");
    }
    return List.copyOf(words);
  }
}
