package io.intentbot.engine.audit;

/** The audit database failed or refused an operation (e.g. a run id that already exists). */
public class AuditStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public AuditStoreException(String message) {
    super(message);
  }

  public AuditStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
