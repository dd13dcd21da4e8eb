package io.intentbot.engine.model;

import java.util.EnumSet;
import java.util.Set;

/** Where a run is in its life. Terminal statuses never change again. */
public enum RunStatus {
  /** Accepted, not yet started (waiting for its lock or its thread). */
  PENDING,
  /** Waiting for approvals in a protected environment. */
  WAITING_APPROVAL,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  REJECTED,
  EXPIRED,
  /** The bot stopped while the run was in progress. */
  INTERRUPTED;

  private static final Set<RunStatus> TERMINAL =
      EnumSet.of(SUCCEEDED, FAILED, CANCELLED, REJECTED, EXPIRED, INTERRUPTED);

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** Lower-case name as shown to people and stored in the audit database. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
