/**
 * The built-in step types: {@link io.intentbot.engine.steps.ShellStepType shell}, {@link
 * io.intentbot.engine.steps.HttpStepType http}, {@link io.intentbot.engine.steps.SqlStepType sql},
 * {@link io.intentbot.engine.steps.FlywayStepType flyway}, {@link
 * io.intentbot.engine.steps.GitStepType git}, {@link io.intentbot.engine.steps.SetStepType set} and
 * {@link io.intentbot.engine.steps.WaitStepType wait}, collected by {@link
 * io.intentbot.engine.steps.BuiltinStepTypes}. Each one's {@code with:} schema is the resource
 * {@code <name>.schema.json} next to it.
 */
package io.intentbot.engine.steps;
