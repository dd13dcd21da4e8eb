package io.intentbot.bot.slack;

/** Slack refused the bot's token ({@code auth.test} answered {@code invalid_auth} or the like). */
public final class SlackTokenRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String error;

  public SlackTokenRejected(String variable, String error) {
    super(
        "Slack rejected "
            + variable
            + ": "
            + error
            + " (give the app's token as Slack shows it, and check the app is installed)");
    this.error = error;
  }

  /** Slack's error code, e.g. {@code invalid_auth}. */
  public String error() {
    return error;
  }
}
