package io.intentbot.engine.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text typed by a person into words, as a shell splits words and nothing more: whitespace
 * separates words, single or double quotes keep blanks inside a word, a backslash escapes the next
 * character. Curly quotes (which Slack and phones type) count as straight ones. Nothing is
 * expanded: {@code $HOME}, {@code *} or {@code |} stay characters of a word. The chat command line
 * and {@code kubernetes.exec}'s command string both use it.
 *
 * <pre>{@code
 * Words.split("deploy-app app=web note=\"two words\"")  // [deploy-app, app=web, note=two words]
 * Words.split("cat '/data/my file' -n")                 // [cat, /data/my file, -n]
 * }</pre>
 */
public final class Words {

  private Words() {}

  /**
   * @return the words; empty for blank text
   * @throws IllegalArgumentException "unclosed quote ..." when a quote is left open
   */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = normalizeQuote(text.charAt(i));
      if (c == '\\' && i + 1 < text.length()) {
        word.append(text.charAt(++i));
        inWord = true;
      } else if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(text.charAt(i));
        }
      } else if (c == '"' || c == '\'') {
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
      throw new IllegalArgumentException("unclosed quote " + quote + " in: " + text);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static char normalizeQuote(char c) {
    return switch (c) {
      case '\u201c', '\u201d' -> '"';
      case '\u2018', '\u2019' -> '\'';
      default -> c;
    };
  }
}
