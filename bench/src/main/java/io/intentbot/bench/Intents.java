package io.intentbot.bench;

/** The intents the benchmarks run. */
final class Intents {
  private Intents() {}

  /** One {@code set} step: the cheapest real run. */
  static final String NOOP =
      """
      name: bench-noop
      description: One set step
      risk: read-only
      steps:
        - id: one
          type: set
          with: { done: "yes" }
      """;

  /** One shell step printing {@code line-0001} to {@code line-1000}. */
  static final String LINES =
      """
      name: bench-lines
      description: One step that prints 1000 lines
      risk: read-only
      steps:
        - id: print
          type: shell
          with:
            command: [seq, -f, "line-%04g", "1", "1000"]
      """;

  /** The same 1000 lines from 25 steps of 40, under the adapter's per-step cut of 40 lines. */
  static String linesInSteps() {
    StringBuilder yaml =
        new StringBuilder(
            """
            name: bench-lines-steps
            description: 25 steps that print 40 lines each
            risk: read-only
            steps:
            """);
    for (int i = 0; i < 25; i++) {
      yaml.append("  - id: print")
          .append(i)
          .append("\n    type: shell\n    with:\n      command: [seq, -f, \"line-%04g\", \"")
          .append(i * 40 + 1)
          .append("\", \"")
          .append(i * 40 + 40)
          .append("\"]\n");
    }
    return yaml.toString();
  }

  /** {@code n} {@code set} steps, each reading the previous one's output. */
  static String setSteps(String name, int n) {
    StringBuilder yaml =
        new StringBuilder("name: ")
            .append(name)
            .append("\ndescription: ")
            .append(n)
            .append(" set steps\nrisk: read-only\nsteps:\n");
    yaml.append("  - id: s0\n    type: set\n    with: { value: \"0\" }\n");
    for (int i = 1; i < n; i++) {
      yaml.append("  - id: s")
          .append(i)
          .append("\n    type: set\n    with: { value: \"${{ steps.s")
          .append(i - 1)
          .append(".outputs.value }}\", n: \"")
          .append(i)
          .append("\" }\n");
    }
    return yaml.toString();
  }

  /** One {@code wait} step of {@code duration}. */
  static String waits(String duration) {
    return """
        name: bench-wait
        description: Waits
        risk: read-only
        steps:
          - id: wait
            type: wait
            with: { duration: %s }
        """
        .formatted(duration);
  }
}
