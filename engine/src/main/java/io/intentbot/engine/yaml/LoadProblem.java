package io.intentbot.engine.yaml;

/** One thing wrong in an intent file: where, what was found, what was expected. */
public record LoadProblem(SourceLocation location, String message) {

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
