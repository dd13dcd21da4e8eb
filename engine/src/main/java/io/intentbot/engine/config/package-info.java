/**
 * The bot's configuration ({@code intentbot.yaml}) as immutable records, read and checked by {@link
 * io.intentbot.engine.config.ConfigLoader}: every key declared (by the core, or by a module's
 * {@link io.intentbot.engine.config.ConfigSection}), every problem reported as {@code
 * file:line:col: message}.
 */
package io.intentbot.engine.config;
