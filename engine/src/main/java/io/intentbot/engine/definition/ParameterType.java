package io.intentbot.engine.definition;

import java.util.Locale;
import java.util.Optional;

/** The type of an intent parameter, as written in {@code type:}. */
public enum ParameterType {
  STRING,
  INTEGER,
  BOOLEAN,
  ENUM,
  DURATION,
  /** One of config {@code apps}. */
  APP,
  /** One of config {@code environments}. */
  ENVIRONMENT;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ParameterType> fromLabel(String text) {
    for (ParameterType type : values()) {
      if (type.label().equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
