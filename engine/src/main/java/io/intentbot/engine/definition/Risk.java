package io.intentbot.engine.definition;

/** How much an intent can change. Read-only intents never wait for approval. */
public enum Risk {
  READ_ONLY("read-only"),
  MUTATING("mutating"),
  DESTRUCTIVE("destructive");

  private final String label;

  Risk(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static java.util.Optional<Risk> fromLabel(String text) {
    for (Risk risk : values()) {
      if (risk.label.equals(text)) {
        return java.util.Optional.of(risk);
      }
    }
    return java.util.Optional.empty();
  }
}
