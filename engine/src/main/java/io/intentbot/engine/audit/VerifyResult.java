package io.intentbot.engine.audit;

import java.util.List;

/**
 * What {@link AuditStore#verify()} found: how many sealed runs were checked and every problem (a
 * record edited since it was sealed, one missing from the chain).
 */
public record VerifyResult(int checked, List<String> problems) {

  public VerifyResult {
    problems = List.copyOf(problems);
  }

  public boolean intact() {
    return problems.isEmpty();
  }
}
