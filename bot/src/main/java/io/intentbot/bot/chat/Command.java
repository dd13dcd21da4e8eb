package io.intentbot.bot.chat;

import java.util.List;

/** One chat command, as typed after {@code /intent}. Parse text with {@link CommandParser}. */
public sealed interface Command {

  record Help() implements Command {}

  record ListIntents() implements Command {}

  record Describe(String intent) implements Command {}

  record History(String intent) implements Command {}

  record Status(String runId) implements Command {}

  record Cancel(String runId) implements Command {}

  record Approve(String runId) implements Command {}

  record Reject(String runId, String reason) implements Command {}

  /** Acknowledge a break-glass run after the fact (approvers only). */
  record Acknowledge(String runId, String note) implements Command {}

  /**
   * Run an intent.
   *
   * @param intent the name as typed
   * @param arguments {@code key=value} tokens with quotes removed
   * @param dryRun plan only
   * @param breakGlassReason the reason given with {@code --break-glass}, or null
   */
  record Run(String intent, List<String> arguments, boolean dryRun, String breakGlassReason)
      implements Command {
    public Run {
      arguments = List.copyOf(arguments);
    }
  }

  /** The text could not be understood; {@code message} says why and what to type. */
  record Malformed(String message) implements Command {}
}
