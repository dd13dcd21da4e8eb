package io.intentbot.engine.step;

/**
 * A rendered {@code with:} block that does not fit its step type: names the field, the value given
 * and what was expected, e.g. {@code 'duration' must be a duration such as 30s, 5m or 1h, got
 * 'soon'}. The engine adds the step id where it reports the failure (the plan's list of invalid
 * steps, the step's failure in the run).
 */
public final class InvalidStepInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final transient Object value;
  private final String expectation;

  /**
   * @param field the field's path in {@code with:}, e.g. {@code poll.interval}; empty for the block
   *     itself
   * @param value the value given, or null when the field is missing
   * @param expectation what was expected, as a phrase: {@code must be a whole number}, {@code is
   *     required}
   */
  public InvalidStepInputException(String field, Object value, String expectation) {
    super(message(field, value, expectation));
    this.field = field;
    this.value = value;
    this.expectation = expectation;
  }

  public String field() {
    return field;
  }

  /** The value given; null when the field is missing. */
  public Object value() {
    return value;
  }

  public String expectation() {
    return expectation;
  }

  private static String message(String field, Object value, String expectation) {
    String subject = field.isEmpty() ? "with:" : "'" + field + "'";
    return subject + " " + expectation + (value == null ? "" : ", got '" + value + "'");
  }
}
