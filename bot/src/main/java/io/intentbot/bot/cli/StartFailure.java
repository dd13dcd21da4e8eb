package io.intentbot.bot.cli;

import io.intentbot.bot.slack.SlackTokenRejected;
import io.intentbot.engine.audit.AuditStoreException;
import io.intentbot.engine.config.ConfigException;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a server ({@code serve}, {@code socket}) could not start, as one line with the fix and an
 * exit code; the stack trace only in the log at DEBUG ({@code INTENTBOT_LOG_LEVEL=DEBUG}).
 */
record StartFailure(String line, int exitCode) {

  private static final Logger log = LoggerFactory.getLogger(StartFailure.class);

  /** The line for {@code failure} of {@code command} listening on {@code port} (null: none). */
  static StartFailure of(String command, Integer port, Throwable failure) {
    log.debug("{} could not start", command, failure);
    String prefix = "intentbot " + command + ": ";
    if (failure instanceof ConfigException) {
      return new StartFailure(prefix + failure.getMessage(), ExitCode.INVALID);
    }
    if (failure instanceof SlackTokenRejected) {
      return new StartFailure(prefix + failure.getMessage(), ExitCode.INVALID);
    }
    if (failure instanceof UserError user) {
      return new StartFailure(prefix + user.getMessage(), user.exitCode());
    }
    if (failure instanceof AuditStoreException) {
      return new StartFailure(
          prefix
              + "the audit database is not reachable: "
              + firstLine(failure.getMessage())
              + " (check INTENTBOT_DB_URL)",
          ExitCode.FAILED);
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new StartFailure(
            prefix
                + "port "
                + port
                + " is in use (another process listens on it): choose another with --port or"
                + " INTENTBOT_PORT",
            ExitCode.FAILED);
      }
    }
    return new StartFailure(
        prefix
            + "could not start: "
            + firstLine(String.valueOf(failure))
            + " (INTENTBOT_LOG_LEVEL=DEBUG shows the details)",
        ExitCode.FAILED);
  }

  /** {@code INTENTBOT_PORT} (or {@code --port}) as a port number, else a one-line refusal. */
  static int port(Integer option, String variable) {
    if (option != null) {
      if (option < 0 || option > 65535) {
        throw new UserError(
            "--port must be a port number from 0 to 65535, got " + option, ExitCode.INVALID);
      }
      return option;
    }
    String text = variable == null || variable.isBlank() ? "3000" : variable.strip();
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UserError(
        "INTENTBOT_PORT must be a port number from 0 to 65535, got '" + variable + "'",
        ExitCode.INVALID);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
