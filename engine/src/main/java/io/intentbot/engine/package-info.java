/**
 * The engine's API: {@link io.intentbot.engine.Engine} (the facade), {@link
 * io.intentbot.engine.RunRequest}, {@link io.intentbot.engine.Submission}, {@link
 * io.intentbot.engine.Plan}, {@link io.intentbot.engine.Decision} and the {@link
 * io.intentbot.engine.RunListener} events. Adapters use only this package, {@code definition},
 * {@code config}, {@code audit} records and {@code step} (to add step types).
 */
package io.intentbot.engine;
