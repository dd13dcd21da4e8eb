package io.intentbot.engine.internal;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The {@link StepContext} the engine hands a step type. {@code clock} is the engine's clock (it
 * answers {@code StepContext.clock()} once the step API declares it).
 */
record EngineStepContext(
    RunState state,
    String stepId,
    boolean dryRun,
    IntentbotConfig config,
    Path intentsDir,
    StepOutput output,
    Clock clock)
    implements StepContext {

  @Override
  public String runId() {
    return state.id();
  }

  @Override
  public String intentName() {
    return state.intent.name();
  }

  @Override
  public String requester() {
    return state.record().requester();
  }

  @Override
  public Optional<EnvironmentConfig> environment() {
    return Optional.ofNullable(state.environment);
  }

  @Override
  public Optional<String> app() {
    return Optional.ofNullable(state.app);
  }

  @Override
  public void addSecret(String value) {
    state.redactor.addSecret(value);
  }
}
