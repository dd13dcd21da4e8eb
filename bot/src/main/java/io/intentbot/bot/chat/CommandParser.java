package io.intentbot.bot.chat;

import io.intentbot.engine.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the text typed after {@code /intent} into a {@link Command}. Words are split on blanks;
 * double or single quotes group words, also inside a token ({@code message="a b"} is one token
 * {@code message=a b}); a backslash escapes the next character.
 */
public final class CommandParser {

  private CommandParser() {}

  public static Command parse(String text) {
    List<String> words;
    try {
      words = tokenize(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      return new Command.Malformed(e.getMessage());
    }
    if (words.isEmpty()) {
      return new Command.Help();
    }
    String verb = words.get(0);
    List<String> rest = words.subList(1, words.size());
    switch (verb.toLowerCase(Locale.ROOT)) {
      case "help", "--help", "-h":
        return new Command.Help();
      case "list":
        return new Command.ListIntents();
      case "describe":
        return one(rest, "describe INTENT", Command.Describe::new);
      case "history":
        return rest.size() > 1
            ? new Command.Malformed("usage: history [INTENT]")
            : new Command.History(rest.isEmpty() ? null : rest.get(0));
      case "status":
        return one(rest, "status RUN", Command.Status::new);
      case "cancel":
        return one(rest, "cancel RUN", Command.Cancel::new);
      case "approve":
        return one(rest, "approve RUN", Command.Approve::new);
      case "reject":
        if (rest.isEmpty()) {
          return new Command.Malformed("usage: reject RUN [reason]");
        }
        return new Command.Reject(
            rest.get(0), rest.size() > 1 ? String.join(" ", rest.subList(1, rest.size())) : null);
      case "ack", "acknowledge":
        if (rest.isEmpty()) {
          return new Command.Malformed("usage: ack RUN [note]");
        }
        return new Command.Acknowledge(
            rest.get(0), rest.size() > 1 ? String.join(" ", rest.subList(1, rest.size())) : null);
      default:
        return run(verb, rest);
    }
  }

  private static Command one(
      List<String> rest, String usage, java.util.function.Function<String, Command> make) {
    return rest.size() == 1 ? make.apply(rest.get(0)) : new Command.Malformed("usage: " + usage);
  }

  private static Command run(String intent, List<String> rest) {
    if (intent.isBlank() || intent.startsWith("-")) {
      return new Command.Malformed("an intent name comes first, e.g. `deploy-app app=web`");
    }
    List<String> arguments = new ArrayList<>();
    boolean dryRun = false;
    String breakGlass = null;
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      if (word.equals("--dry-run")) {
        dryRun = true;
      } else if (word.equals("--break-glass") || word.startsWith("--break-glass=")) {
        String reason;
        if (word.startsWith("--break-glass=")) {
          reason = word.substring("--break-glass=".length());
        } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
          reason = rest.get(++i);
        } else {
          reason = "";
        }
        if (reason.isBlank()) {
          return new Command.Malformed(
              "--break-glass needs a reason: --break-glass \"why this cannot wait\"");
        }
        breakGlass = reason;
      } else if (word.startsWith("--")) {
        return new Command.Malformed(
            "unknown option " + word + " (options: --dry-run, --break-glass \"reason\")");
      } else if (word.indexOf('=') <= 0) {
        return new Command.Malformed(
            "expected key=value, got '" + word + "' (quote values with blanks: key=\"a b\")");
      } else {
        arguments.add(word);
      }
    }
    return new Command.Run(intent, arguments, dryRun, breakGlass);
  }

  /** Splits text into words, honouring quotes and backslash escapes ({@link Words}). */
  public static List<String> tokenize(String text) {
    return Words.split(text);
  }
}
