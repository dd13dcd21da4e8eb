/**
 * The step type contract: {@link io.intentbot.engine.step.StepType} (one class per YAML {@code
 * type:}), its input, context, plan and result, and the {@link
 * io.intentbot.engine.step.StepTypeRegistry} that maps names to step types. Step types extend
 * {@link io.intentbot.engine.step.TypedStepType} (or {@link
 * io.intentbot.engine.step.AsyncTypedStepType} when they wait), which binds {@code with:} to a
 * record and checks it against the type's {@code <name>.schema.json}.
 */
package io.intentbot.engine.step;
