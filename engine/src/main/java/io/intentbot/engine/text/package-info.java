/**
 * Leaf helpers for text people type: durations ({@code 30s}, {@code 1h30m}), shell-like word
 * splitting without expansion, and did-you-mean suggestions. Depends on nothing else of intentbot.
 */
package io.intentbot.engine.text;
