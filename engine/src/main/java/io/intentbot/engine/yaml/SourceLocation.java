package io.intentbot.engine.yaml;

/** A place in an intent file, 1-based, for error messages ({@code deploy-app.yaml:12:5}). */
public record SourceLocation(String file, int line, int column) {

  public static SourceLocation unknown(String file) {
    return new SourceLocation(file, 0, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }
}
