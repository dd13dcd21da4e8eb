package io.intentbot.engine.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentbot.engine.json.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus where each node was written, keyed by JSON Pointer ({@code
 * /steps/0/with}), so errors found on the tree can name a line and column. A key written twice in
 * one mapping is an error here, as it would silently lose a value.
 */
public final class LocatedYaml {

  /** How deep mappings and lists may nest; deeper documents are refused, never recursed into. */
  public static final int MAX_DEPTH = 64;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonNode root;
  private final Map<String, SourceLocation> locations;
  private final Map<String, SourceLocation> keys;
  private final String file;

  private LocatedYaml(
      JsonNode root,
      Map<String, SourceLocation> locations,
      Map<String, SourceLocation> keys,
      String file) {
    this.root = root;
    this.locations = locations;
    this.keys = keys;
    this.file = file;
  }

  /** Parses a document; throws {@link YamlSyntaxException} with the location on bad YAML. */
  public static LocatedYaml parse(String text, String file) {
    Map<String, SourceLocation> locations = new HashMap<>();
    Map<String, SourceLocation> keys = new HashMap<>();
    try (JsonParser parser = Json.YAML_FACTORY.createParser(text)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        return new LocatedYaml(NODES.missingNode(), locations, keys, file);
      }
      JsonNode root = read(parser, "", 0, locations, keys, file);
      return new LocatedYaml(root, locations, keys, file);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      SourceLocation where =
          at == null
              ? SourceLocation.unknown(file)
              : new SourceLocation(file, at.getLineNr(), at.getColumnNr());
      throw new YamlSyntaxException(where, "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new YamlSyntaxException(SourceLocation.unknown(file), e.getMessage());
    }
  }

  private static JsonNode read(
      JsonParser parser,
      String pointer,
      int depth,
      Map<String, SourceLocation> locations,
      Map<String, SourceLocation> keys,
      String file)
      throws IOException {
    JsonToken token = parser.currentToken();
    locations.putIfAbsent(pointer, at(parser, file));
    if (depth == MAX_DEPTH && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
      throw new YamlSyntaxException(
          at(parser, file),
          "the document is nested deeper than " + MAX_DEPTH + " levels: flatten it");
    }
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = pointer + "/" + escape(name);
          SourceLocation keyAt = at(parser, file);
          if (object.has(name)) {
            throw new YamlSyntaxException(keyAt, "key '" + name + "' is written twice");
          }
          keys.put(child, keyAt);
          parser.nextToken();
          locations.put(child, at(parser, file));
          object.set(name, read(parser, child, depth + 1, locations, keys, file));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, pointer + "/" + index++, depth + 1, locations, keys, file));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(parser.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        return NODES.textNode(parser.getText());
      }
    }
  }

  private static SourceLocation at(JsonParser parser, String file) {
    JsonLocation location = parser.currentTokenLocation();
    return new SourceLocation(file, location.getLineNr(), location.getColumnNr());
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  public JsonNode root() {
    return root;
  }

  public String file() {
    return file;
  }

  /** Where the node at a JSON Pointer was written; falls back to its nearest parent. */
  public SourceLocation locate(String pointer) {
    String at = pointer;
    while (true) {
      SourceLocation found = locations.get(at);
      if (found != null) {
        return found;
      }
      if (at.isEmpty()) {
        return SourceLocation.unknown(file);
      }
      int slash = at.lastIndexOf('/');
      at = slash <= 0 ? "" : at.substring(0, slash);
    }
  }

  /**
   * Where the key of the mapping entry at a JSON Pointer was written (for "unknown key" errors);
   * falls back to {@link #locate(String)} for array items and the root.
   */
  public SourceLocation locateKey(String pointer) {
    SourceLocation found = keys.get(pointer);
    return found != null ? found : locate(pointer);
  }

  /** Thrown on YAML that does not parse. */
  public static final class YamlSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient SourceLocation location;

    public YamlSyntaxException(SourceLocation location, String message) {
      super(message);
      this.location = location;
    }

    public SourceLocation location() {
      return location;
    }
  }
}
