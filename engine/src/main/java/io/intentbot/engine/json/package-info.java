/**
 * The engine's shared Jackson mappers for JSON and YAML ({@link io.intentbot.engine.json.Json}).
 */
package io.intentbot.engine.json;
