package io.intentbot.bot.cli;

/** Exit codes of {@code intentbot}, as the operator interface fixes them. */
public final class ExitCode {
  public static final int SUCCEEDED = 0;
  public static final int FAILED = 1;
  public static final int INVALID = 2;
  public static final int WAITING_FOR_APPROVAL = 3;
  public static final int REFUSED = 4;

  private ExitCode() {}
}
