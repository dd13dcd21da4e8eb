package io.intentbot.bot.chat;

/**
 * The answer to a command, shown to the person who typed it only.
 *
 * @param text the message (Slack mrkdwn; readable as plain text)
 * @param error whether it reports a problem (invalid input, refusal)
 * @param runId the run the command started, approved or queued, or null
 */
public record Reply(String text, boolean error, String runId) {

  public static Reply info(String text) {
    return new Reply(text, false, null);
  }

  public static Reply error(String text) {
    return new Reply(text, true, null);
  }

  public Reply withRun(String id) {
    return new Reply(text, error, id);
  }
}
