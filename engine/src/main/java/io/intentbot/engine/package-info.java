/**
 * The engine's facade, {@link io.intentbot.engine.Engine}: the one way Slack, the console and the
 * CLI run intents. What it takes and returns lives in {@link io.intentbot.engine.model} (requests,
 * plans, submissions, decisions, events, run records). Adapters use this package, {@code model},
 * {@code config}, {@code definition}, {@code leader}, {@code step} (to add step types), {@code
 * audit} (to open a store and verify the chain) and the leaves {@code text}, {@code yaml} and
 * {@code json}; never {@code internal}. {@code ArchitectureTest} in the bot module checks it.
 */
package io.intentbot.engine;
