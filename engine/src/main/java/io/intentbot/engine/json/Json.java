package io.intentbot.engine.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The engine's one Jackson setup for JSON and YAML. An {@link ObjectMapper} is thread-safe once
 * configured and costly to make, so code reads and writes trees through these instead of making its
 * own; never reconfigure them (copy with {@link ObjectMapper#copy()} for other settings).
 *
 * <pre>{@code
 * JsonNode schema = Json.MAPPER.readTree(in);
 * try (JsonParser parser = Json.YAML_FACTORY.createParser(text)) { ... }
 * }</pre>
 */
public final class Json {

  /** JSON with Jackson's defaults. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** The YAML parser factory, for readers that need token locations (see {@code LocatedYaml}). */
  public static final YAMLFactory YAML_FACTORY = new YAMLFactory();

  /** YAML with Jackson's defaults, on {@link #YAML_FACTORY}. */
  public static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY);

  private Json() {}
}
