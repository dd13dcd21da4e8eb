package io.intentbot.bot.cli;

/** Work in progress: the intentbot command line. */
public final class IntentbotCommand {
  private IntentbotCommand() {}

  public static void main(String[] args) {
    System.out.println("intentbot");
  }
}
