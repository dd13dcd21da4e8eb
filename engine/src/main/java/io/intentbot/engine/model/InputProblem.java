package io.intentbot.engine.model;

import java.util.List;

/**
 * One thing wrong with what somebody typed: which parameter (null when the problem is not about
 * one), what kind of problem, close names they may have meant, and the sentence that explains it
 * and the fix to a person. Adapters may use the structure (a form can mark the field, a chat can
 * offer the suggestion); nobody needs to parse {@code message}.
 */
public record InputProblem(Kind kind, String parameter, List<String> didYouMean, String message) {

  public InputProblem {
    didYouMean = List.copyOf(didYouMean);
  }

  /** What kind of problem it is. */
  public enum Kind {
    /** No intent has that name. */
    UNKNOWN_INTENT,
    /** The intent's file does not load. */
    BROKEN_INTENT,
    /** An argument is not {@code key=value}. */
    NOT_KEY_VALUE,
    /** A parameter is given twice. */
    GIVEN_TWICE,
    /** The intent has no parameter of that name. */
    UNKNOWN_PARAMETER,
    /** A required parameter is missing. */
    MISSING,
    /** A value does not fit the parameter's type or constraints. */
    INVALID_VALUE,
    /** A computed default, the lock key, {@code read_only_if} or a step's input fails. */
    CANNOT_PLAN,
    /** {@code --break-glass} without a reason. */
    BREAK_GLASS_WITHOUT_REASON
  }

  public static InputProblem of(Kind kind, String parameter, String message) {
    return new InputProblem(kind, parameter, List.of(), message);
  }

  /** A problem that is about no parameter in particular. */
  public static InputProblem general(Kind kind, String message) {
    return new InputProblem(kind, null, List.of(), message);
  }
}
