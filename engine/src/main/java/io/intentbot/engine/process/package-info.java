/**
 * Child processes for step types: {@link io.intentbot.engine.process.ProcessRunner} runs an
 * argument list with an explicit environment, streams and caps its output, and stops the whole
 * process tree on interruption or timeout.
 */
package io.intentbot.engine.process;
