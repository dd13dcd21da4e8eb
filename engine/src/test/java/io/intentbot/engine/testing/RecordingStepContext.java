package io.intentbot.engine.testing;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link StepContext} for step type tests: records every output line and secret, with the config,
 * environment and app a test gives it.
 */
public final class RecordingStepContext implements StepContext {

  private final IntentbotConfig config;
  private final EnvironmentConfig environment;
  private final String app;
  private final Path intentsDir;
  private final boolean dryRun;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> secrets = new CopyOnWriteArrayList<>();
  private String stepId = "step";
  private String requester = "U_TEST";

  public RecordingStepContext(
      IntentbotConfig config, EnvironmentConfig environment, String app, Path intentsDir) {
    this(config, environment, app, intentsDir, false);
  }

  public RecordingStepContext(
      IntentbotConfig config,
      EnvironmentConfig environment,
      String app,
      Path intentsDir,
      boolean dryRun) {
    this.config = config;
    this.environment = environment;
    this.app = app;
    this.intentsDir = intentsDir;
    this.dryRun = dryRun;
  }

  /** A context with an empty config, no environment and no app. */
  public static RecordingStepContext plain() {
    return new RecordingStepContext(IntentbotConfig.empty(), null, null, Path.of("."));
  }

  public RecordingStepContext withStepId(String id) {
    this.stepId = id;
    return this;
  }

  public RecordingStepContext withRequester(String user) {
    this.requester = user;
    return this;
  }

  /** Every line written so far. */
  public List<String> lines() {
    return new ArrayList<>(lines);
  }

  public String text() {
    return String.join("\n", lines);
  }

  public List<String> secrets() {
    return new ArrayList<>(secrets);
  }

  @Override
  public String runId() {
    return "r-test";
  }

  @Override
  public String stepId() {
    return stepId;
  }

  @Override
  public String intentName() {
    return "test-intent";
  }

  @Override
  public String requester() {
    return requester;
  }

  @Override
  public boolean dryRun() {
    return dryRun;
  }

  @Override
  public Optional<EnvironmentConfig> environment() {
    return Optional.ofNullable(environment);
  }

  @Override
  public Optional<String> app() {
    return Optional.ofNullable(app);
  }

  @Override
  public IntentbotConfig config() {
    return config;
  }

  @Override
  public Path intentsDir() {
    return intentsDir;
  }

  @Override
  public StepOutput output() {
    return lines::add;
  }

  @Override
  public void addSecret(String value) {
    secrets.add(value);
  }
}
