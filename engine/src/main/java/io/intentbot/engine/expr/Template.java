package io.intentbot.engine.expr;

import java.util.ArrayList;
import java.util.List;

/**
 * A string that may hold {@code ${{ expression }}} parts. A string that is exactly one expression
 * keeps the expression's type (a number stays a number); anything else renders to text.
 */
public record Template(String source, List<Part> parts) {

  private static final String OPEN = "${{";
  private static final String CLOSE = "}}";

  /** A literal text or an expression. */
  public record Part(String text, boolean expression) {}

  public Template {
    parts = List.copyOf(parts);
  }

  /** Splits a string; throws {@link ExpressionException} on an unclosed {@code ${{}. */
  public static Template parse(String source) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (true) {
      int open = source.indexOf(OPEN, at);
      if (open < 0) {
        if (at < source.length()) {
          parts.add(new Part(source.substring(at), false));
        }
        return new Template(source, parts);
      }
      int close = source.indexOf(CLOSE, open + OPEN.length());
      if (close < 0) {
        throw new ExpressionException(
            "'${{' at character " + (open + 1) + " is never closed with '}}' in: " + source);
      }
      if (open > at) {
        parts.add(new Part(source.substring(at, open), false));
      }
      String expression = source.substring(open + OPEN.length(), close).trim();
      if (expression.isEmpty()) {
        throw new ExpressionException("empty expression '${{ }}' in: " + source);
      }
      parts.add(new Part(expression, true));
      at = close + CLOSE.length();
    }
  }

  public static boolean containsExpression(String text) {
    return text != null && text.contains(OPEN);
  }

  public boolean isSingleExpression() {
    return parts.size() == 1 && parts.get(0).expression();
  }

  public List<String> expressions() {
    return parts.stream().filter(Part::expression).map(Part::text).toList();
  }
}
