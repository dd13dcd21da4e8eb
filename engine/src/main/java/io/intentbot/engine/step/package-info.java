/**
 * The step type contract: {@link io.intentbot.engine.step.StepType} (one class per YAML {@code
 * type:}), its input, context, plan and result, and the {@link
 * io.intentbot.engine.step.StepTypeRegistry} that maps names to step types.
 */
package io.intentbot.engine.step;
