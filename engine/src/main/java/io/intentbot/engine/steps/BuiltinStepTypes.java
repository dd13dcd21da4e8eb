package io.intentbot.engine.steps;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepType;
import java.util.List;

/**
 * The step types every intentbot has: shell, http, sql, flyway, git, set, wait, assert,
 * flyway.undo, flyway.schema-diff, sql.dump, files.render and files.check.
 */
public final class BuiltinStepTypes {

  private BuiltinStepTypes() {}

  /**
   * One instance of each built-in step type; {@code sql}, {@code sql.dump} and {@code flyway} use
   * its datasources, {@code http} its {@code http.allow}, {@code shell} its {@code shell.pass_env}.
   */
  public static List<StepType> all(IntentbotConfig config) {
    return List.of(
        new ShellStepType(config),
        new HttpStepType(config),
        new SqlStepType(config),
        new FlywayStepType(config),
        new GitStepType(),
        new SetStepType(),
        new WaitStepType(),
        new AssertStepType(),
        new FlywayUndoStepType(config),
        new SqlDumpStepType(config),
        new FlywaySchemaDiffStepType(config),
        new FilesRenderStepType(),
        new FilesCheckStepType());
  }
}
