/**
 * The engine's values: what a request is ({@link io.intentbot.engine.model.RunRequest}), what
 * became of it ({@link io.intentbot.engine.model.Submission}, {@link
 * io.intentbot.engine.model.Decision} with its typed {@link io.intentbot.engine.model.Refusal}),
 * what happens to a run ({@link io.intentbot.engine.model.RunEvent}) and how it is recorded ({@link
 * io.intentbot.engine.model.RunRecord}, {@link io.intentbot.engine.model.StepRecord}, approvals,
 * reviews, statuses). Immutable records, no behaviour beyond small derivations; adapters render
 * them, the engine never puts chat markup in them.
 */
package io.intentbot.engine.model;
