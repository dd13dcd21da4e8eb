package io.intentbot.engine.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps held in text columns as JSON, keeping their key order. */
final class JsonColumns {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final TypeReference<LinkedHashMap<String, String>> STRINGS =
      new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Object>> VALUES =
      new TypeReference<>() {};

  private JsonColumns() {}

  static String write(Map<String, ?> map) {
    try {
      return MAPPER.writeValueAsString(map == null ? Map.of() : map);
    } catch (JsonProcessingException e) {
      throw new AuditStoreException(
          "audit store: value is not JSON-compatible: " + e.getOriginalMessage(), e);
    }
  }

  static Map<String, String> readStrings(String json) {
    return read(json, STRINGS);
  }

  static Map<String, Object> readValues(String json) {
    return read(json, VALUES);
  }

  private static <M extends Map<String, ?>> M read(String json, TypeReference<M> type) {
    try {
      return MAPPER.readValue(json == null || json.isBlank() ? "{}" : json, type);
    } catch (JsonProcessingException e) {
      throw new AuditStoreException(
          "audit store: a JSON column is unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
