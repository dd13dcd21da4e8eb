package io.intentbot.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.text.Durations;
import io.intentbot.engine.yaml.LocatedYaml;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns a schema-valid YAML tree into definition records, reporting what does not fit. */
final class IntentReader {

  private static final ObjectMapper JSON = Json.MAPPER;

  private final LocatedYaml yaml;
  private final Problems problems;

  IntentReader(LocatedYaml yaml, Problems problems) {
    this.yaml = yaml;
    this.problems = problems;
  }

  List<ParameterDefinition> parameters() {
    List<ParameterDefinition> parameters = new ArrayList<>();
    JsonNode node = yaml.root().path("parameters");
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      parameter(field.getKey(), field.getValue(), "/parameters/" + field.getKey())
          .ifPresent(parameters::add);
    }
    return parameters;
  }

  private Optional<ParameterDefinition> parameter(String name, JsonNode node, String pointer) {
    ParameterType type = ParameterType.fromLabel(node.path("type").asText()).orElse(null);
    if (type == null) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>();
    node.path("values").forEach(v -> values.add(v.asText()));
    if (type == ParameterType.ENUM && values.isEmpty()) {
      problems.add(pointer, "parameter '" + name + "' is an enum but has no 'values' list");
    }
    if (type != ParameterType.ENUM && !values.isEmpty()) {
      problems.add(pointer + "/values", "'values' is only for type enum, not " + type.label());
    }
    String pattern = text(node, "pattern");
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        problems.add(
            pointer + "/pattern",
            "pattern of '" + name + "' is not a valid regular expression: " + e.getDescription());
      }
    }
    Long min = node.has("min") ? node.get("min").asLong() : null;
    Long max = node.has("max") ? node.get("max").asLong() : null;
    if ((min != null || max != null) && type != ParameterType.INTEGER) {
      problems.add(pointer, "'min' and 'max' apply to integer parameters, not " + type.label());
    }
    if (min != null && max != null && min > max) {
      problems.add(pointer + "/min", "min (" + min + ") is greater than max (" + max + ")");
    }
    Object defaultValue = null;
    String defaultExpression = null;
    JsonNode def = node.get("default");
    if (def != null && !def.isNull()) {
      if (def.isTextual() && def.asText().contains("${{")) {
        defaultExpression = def.asText();
      } else {
        defaultValue =
            typedDefault(name, type, def, values, pattern, min, max, pointer + "/default");
      }
    }
    boolean required = node.path("required").asBoolean(false);
    if (required && def != null && !def.isNull()) {
      problems.add(
          pointer + "/required",
          "parameter '" + name + "' has a default, so it cannot also be required; drop one");
    }
    return Optional.of(
        new ParameterDefinition(
            name,
            type,
            required,
            defaultValue,
            defaultExpression,
            pattern,
            min,
            max,
            values,
            text(node, "description"),
            node.path("secret").asBoolean(false)));
  }

  private Object typedDefault(
      String name,
      ParameterType type,
      JsonNode def,
      List<String> values,
      String pattern,
      Long min,
      Long max,
      String pointer) {
    switch (type) {
      case INTEGER -> {
        if (!def.canConvertToLong() || !def.isIntegralNumber()) {
          problems.add(
              pointer,
              "default of '" + name + "' must be a whole number, got '" + def.asText() + "'");
          return null;
        }
        long value = def.asLong();
        if ((min != null && value < min) || (max != null && value > max)) {
          problems.add(pointer, "default of '" + name + "' (" + value + ") is outside min/max");
        }
        return value;
      }
      case BOOLEAN -> {
        if (!def.isBoolean()) {
          problems.add(
              pointer,
              "default of '" + name + "' must be true or false, got '" + def.asText() + "'");
          return null;
        }
        return def.asBoolean();
      }
      case ENUM -> {
        if (!values.contains(def.asText())) {
          problems.add(
              pointer,
              "default of '"
                  + name
                  + "' ('"
                  + def.asText()
                  + "') is not one of its values: "
                  + String.join(", ", values));
        }
        return def.asText();
      }
      case DURATION -> {
        if (Durations.parse(def.asText()).isEmpty()) {
          problems.add(pointer, "default of '" + name + "' must be a duration such as 30s or 5m");
        }
        return def.asText();
      }
      default -> {
        if (pattern != null && !def.asText().matches(pattern)) {
          problems.add(pointer, "default of '" + name + "' does not match its pattern " + pattern);
        }
        return def.asText();
      }
    }
  }

  List<StepDefinition> steps(String key) {
    List<StepDefinition> steps = new ArrayList<>();
    JsonNode list = yaml.root().path(key);
    for (int i = 0; i < list.size(); i++) {
      steps.add(step(list.get(i), "/" + key + "/" + i));
    }
    return steps;
  }

  private StepDefinition step(JsonNode node, String pointer) {
    Map<String, Object> with = new LinkedHashMap<>();
    if (node.has("with")) {
      with =
          JSON.convertValue(
              node.get("with"),
              JSON.getTypeFactory()
                  .constructMapType(LinkedHashMap.class, String.class, Object.class));
    }
    String condition = null;
    if (node.has("if")) {
      condition = node.get("if").asText();
    }
    Duration timeout = duration(node, "timeout", pointer);
    RetrySpec retry = RetrySpec.NONE;
    JsonNode retryNode = node.get("retry");
    if (retryNode != null && retryNode.has("attempts")) {
      Duration backoff = duration(retryNode, "backoff", pointer + "/retry");
      Duration maxBackoff = duration(retryNode, "max_backoff", pointer + "/retry");
      retry =
          new RetrySpec(
              Math.max(1, retryNode.get("attempts").asInt()),
              backoff == null ? Duration.ofSeconds(1) : backoff,
              maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff);
    }
    return new StepDefinition(
        node.path("id").asText(),
        text(node, "name"),
        text(node, "type"),
        text(node, "uses") == null ? null : text(node, "uses").substring("lib/".length()),
        with,
        condition,
        timeout,
        retry,
        node.path("continue_on_error").asBoolean(false),
        yaml.locate(pointer));
  }

  LockSpec lock() {
    JsonNode node = yaml.root().get("lock");
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return new LockSpec(node.asText(), null);
    }
    return new LockSpec(node.path("key").asText(), duration(node, "wait", "/lock"));
  }

  Map<String, String> outputs() {
    Map<String, String> outputs = new LinkedHashMap<>();
    yaml.root()
        .path("outputs")
        .properties()
        .forEach(e -> outputs.put(e.getKey(), e.getValue().asText()));
    return outputs;
  }

  private Duration duration(JsonNode node, String key, String pointer) {
    String text = text(node, key);
    if (text == null) {
      return null;
    }
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty()) {
      problems.add(
          pointer + "/" + key,
          key + " must be a duration such as 30s, 5m or 1h, got '" + text + "'");
      return null;
    }
    return parsed.get();
  }

  static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }
}
