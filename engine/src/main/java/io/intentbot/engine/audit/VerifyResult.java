package io.intentbot.engine.audit;

import java.util.List;

/**
 * What {@link AuditStore#verify()} found: how many sealed runs were checked, how many of them carry
 * a MAC that the audit key confirmed, and every problem (a record edited since it was sealed, one
 * missing from the chain, a MAC the key did not make, an expected head that is gone).
 */
public record VerifyResult(int checked, int signed, List<String> problems) {

  public VerifyResult {
    problems = List.copyOf(problems);
  }

  /** A result without MACs checked. */
  public VerifyResult(int checked, List<String> problems) {
    this(checked, 0, problems);
  }

  public boolean intact() {
    return problems.isEmpty();
  }
}
