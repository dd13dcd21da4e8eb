package io.intentbot.kubernetes;

/**
 * A cluster call that could not be made or did not succeed, with a message fit for the chat thread.
 * Step types turn it into a failed {@code StepResult}.
 */
public class ClusterAccessException extends RuntimeException {

  public ClusterAccessException(String message) {
    super(message);
  }

  public ClusterAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
