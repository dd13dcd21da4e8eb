package io.intentbot.engine.internal;

import io.intentbot.engine.Decision;
import io.intentbot.engine.GroupDirectory;
import io.intentbot.engine.RunListener;
import io.intentbot.engine.RunRequest;
import io.intentbot.engine.Submission;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.RunRecord;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.step.StepTypeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Work in progress: the engine's orchestration. */
public final class RunCoordinator {
  private final IntentbotConfig config;
  private final IntentCatalog catalog;
  private final StepTypeRegistry stepTypes;
  private final AuditStore audit;

  public RunCoordinator(
      IntentbotConfig config,
      IntentCatalog catalog,
      StepTypeRegistry stepTypes,
      AuditStore audit,
      GroupDirectory groups,
      Clock clock,
      int maxConcurrentRuns,
      List<RunListener> listeners) {
    this.config = config;
    this.catalog = catalog;
    this.stepTypes = stepTypes;
    this.audit = audit;
  }

  public IntentCatalog catalog() {
    return catalog;
  }

  public IntentbotConfig config() {
    return config;
  }

  public StepTypeRegistry stepTypes() {
    return stepTypes;
  }

  public AuditStore audit() {
    return audit;
  }

  public Submission submit(RunRequest request) {
    throw new UnsupportedOperationException();
  }

  public Decision approve(String runId, String user) {
    throw new UnsupportedOperationException();
  }

  public Decision reject(String runId, String user, String reason) {
    throw new UnsupportedOperationException();
  }

  public Decision cancel(String runId, String user) {
    throw new UnsupportedOperationException();
  }

  public Optional<RunRecord> awaitFinished(String runId, Duration timeout) {
    throw new UnsupportedOperationException();
  }

  public void addListener(RunListener listener) {
    throw new UnsupportedOperationException();
  }

  public List<String> recoverInterrupted() {
    throw new UnsupportedOperationException();
  }

  public List<RunRecord> expireApprovals() {
    throw new UnsupportedOperationException();
  }

  public void close() {}
}
