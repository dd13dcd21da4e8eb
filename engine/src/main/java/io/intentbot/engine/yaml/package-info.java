/**
 * YAML read with the location of every node, so the intent loader and the config loader report
 * problems as {@code file:line:column: message} ({@link io.intentbot.engine.yaml.LoadProblem}).
 */
package io.intentbot.engine.yaml;
