package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the {@code with:} schema of a built-in step type from {@code <name>.schema.json}. */
final class WithSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WithSchemas() {}

  static JsonNode load(String stepType) {
    String resource = stepType + ".schema.json";
    try (InputStream in = WithSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema resource " + resource, e);
    }
  }
}
