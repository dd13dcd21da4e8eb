package io.intentbot.bot.chat;

import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.yaml.LoadProblem;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * Intent files that did not load, said out loud: every adapter tells its operator at start, each
 * problem as {@code file:line:col: message} ({@code serve} and {@code socket} in the log, {@code
 * run} and {@code console} on stderr), {@code /healthz} lists them, and asking for such an intent
 * says the file is invalid instead of "unknown intent".
 *
 * <pre>{@code
 * BrokenIntents.print(engine.catalog(), err);   // run, console
 * BrokenIntents.log(engine.catalog(), log);     // serve, socket
 * }</pre>
 */
public final class BrokenIntents {

  private BrokenIntents() {}

  /** Every problem, {@code file:line:col: message}. */
  public static List<String> lines(IntentCatalog catalog) {
    return catalog.problems().stream().map(LoadProblem::toString).toList();
  }

  /** Logs each problem as a warning, then how many files were left out. */
  public static void log(IntentCatalog catalog, Logger log) {
    if (catalog.problems().isEmpty()) {
      return;
    }
    lines(catalog).forEach(line -> log.warn("invalid intent file: {}", line));
    log.warn(summary(catalog));
  }

  /** Prints each problem on {@code err}, then how many files were left out. */
  public static void print(IntentCatalog catalog, PrintWriter err) {
    if (catalog.problems().isEmpty()) {
      return;
    }
    lines(catalog).forEach(line -> err.println("invalid intent file: " + line));
    err.println(summary(catalog));
    err.flush();
  }

  /**
   * {@code "deploy-app.yaml is invalid: deploy-app.yaml:3:5: …"} when {@code name} is not a loaded
   * intent but a file of that name did not load; empty otherwise.
   */
  public static Optional<String> invalid(IntentCatalog catalog, String name) {
    if (name == null || catalog.find(name).isPresent()) {
      return Optional.empty();
    }
    for (String file : List.of(name + ".yaml", name + ".yml")) {
      List<String> problems =
          catalog.problems().stream()
              .filter(p -> p.location().file().equals(file))
              .map(LoadProblem::toString)
              .toList();
      if (!problems.isEmpty()) {
        return Optional.of(
            file
                + " is invalid: "
                + String.join("; ", problems)
                + ". Fix the file (`intentbot lint` shows every problem) and restart intentbot.");
      }
    }
    return Optional.empty();
  }

  private static String summary(IntentCatalog catalog) {
    long files =
        catalog.problems().stream()
            .map(p -> p.location().file())
            .collect(Collectors.toSet())
            .size();
    return files
        + " intent file(s) did not load and cannot be run; `intentbot lint` shows every problem";
  }
}
