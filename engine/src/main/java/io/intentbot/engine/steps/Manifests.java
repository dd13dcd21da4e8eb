package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.intentbot.engine.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses YAML text into its documents and checks the shape of Kubernetes objects. */
final class Manifests {

  private static final ObjectMapper YAML = Json.YAML;
  private static final ObjectMapper JSON = Json.MAPPER;

  private Manifests() {}

  /** Every non-empty document, or IllegalArgumentException with the parser's message. */
  static List<JsonNode> documents(String text, String name) {
    List<JsonNode> documents = new ArrayList<>();
    ObjectReader reader = YAML.readerFor(JsonNode.class);
    try (MappingIterator<JsonNode> it = reader.readValues(text)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(name + " is not valid YAML: " + firstLine(e.getMessage()));
    }
    return documents;
  }

  static void json(String text, String name) {
    try {
      JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " is not valid JSON: " + firstLine(e.getMessage()));
    }
  }

  /**
   * {@code Kind/name} of a Kubernetes object, or IllegalArgumentException naming what is missing.
   */
  static String object(JsonNode document, String name) {
    List<String> missing = new ArrayList<>();
    if (!document.path("apiVersion").isTextual()) {
      missing.add("apiVersion");
    }
    if (!document.path("kind").isTextual()) {
      missing.add("kind");
    }
    if (!document.path("metadata").path("name").isTextual()) {
      missing.add("metadata.name");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          name + ": a Kubernetes object without " + String.join(", ", missing));
    }
    return document.get("kind").asText() + "/" + document.get("metadata").get("name").asText();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
