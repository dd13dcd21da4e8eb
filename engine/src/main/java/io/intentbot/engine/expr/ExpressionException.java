package io.intentbot.engine.expr;

/** An expression that does not compile or fails to evaluate; the message says which and why. */
public final class ExpressionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpressionException(String message) {
    super(message);
  }
}
