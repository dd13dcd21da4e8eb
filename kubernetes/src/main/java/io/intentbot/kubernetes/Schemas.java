package io.intentbot.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON Schemas of {@code with:} blocks, written as JSON text in each step type. */
public final class Schemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Schemas() {}

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("invalid schema: " + e.getOriginalMessage(), e);
    }
  }
}
