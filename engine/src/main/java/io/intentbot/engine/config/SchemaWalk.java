package io.intentbot.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.config.ConfigSchema.Either;
import io.intentbot.engine.config.ConfigSchema.Fields;
import io.intentbot.engine.config.ConfigSchema.ListOf;
import io.intentbot.engine.config.ConfigSchema.MapOf;
import io.intentbot.engine.config.ConfigSchema.Scalar;
import io.intentbot.engine.text.Durations;
import io.intentbot.engine.text.Suggestions;
import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.engine.yaml.LocatedYaml;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a config tree against a {@link ConfigSchema}, collecting every problem at the place it was
 * written. A {@code null} value counts as absent. Undeclared keys of an environment are allowed
 * when an intent reads them ({@link EnvironmentKeys}).
 */
final class SchemaWalk {

  private final LocatedYaml yaml;
  private final EnvironmentKeys environmentKeys;
  private final List<LoadProblem> problems = new ArrayList<>();
  private final Set<String> wrong = new HashSet<>();

  SchemaWalk(LocatedYaml yaml, EnvironmentKeys environmentKeys) {
    this.yaml = yaml;
    this.environmentKeys = environmentKeys;
  }

  List<LoadProblem> problems() {
    return problems;
  }

  /** The JSON Pointers of the values found wrong, to be left out of the bound config. */
  Set<String> wrong() {
    return wrong;
  }

  void add(String pointer, String message) {
    problems.add(new LoadProblem(yaml.locate(pointer), message));
    wrong.add(pointer);
  }

  /** Checks {@code node}, written at {@code pointer} and named {@code where} in messages. */
  void check(JsonNode node, ConfigSchema schema, String pointer, String where) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (schema instanceof Scalar scalar) {
      scalar(node, scalar, pointer, where);
    } else if (schema instanceof ListOf list) {
      if (!node.isArray()) {
        add(pointer, "'" + where + "' must be a list, got " + shown(node));
        return;
      }
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), list.items(), pointer + "/" + i, where + "[" + i + "]");
      }
    } else if (schema instanceof MapOf map) {
      if (mapping(node, pointer, where)) {
        node.properties()
            .forEach(
                e ->
                    check(
                        e.getValue(),
                        map.values(),
                        pointer + "/" + escape(e.getKey()),
                        where + "." + e.getKey()));
      }
    } else if (schema instanceof Fields fields) {
      fields(node, fields, pointer, where);
    } else if (schema instanceof Either either) {
      if (kindOf(either.first(), node)) {
        check(node, either.first(), pointer, where);
      } else if (kindOf(either.second(), node)) {
        check(node, either.second(), pointer, where);
      } else {
        add(
            pointer,
            "'"
                + where
                + "' must be "
                + describe(either.first())
                + " or "
                + describe(either.second())
                + ", got "
                + shown(node));
      }
    }
  }

  /** Whether {@code node} is of the kind {@code schema} describes (mapping, list, scalar). */
  private static boolean kindOf(ConfigSchema schema, JsonNode node) {
    if (schema instanceof Fields || schema instanceof MapOf) {
      return node.isObject();
    }
    if (schema instanceof ListOf) {
      return node.isArray();
    }
    if (schema instanceof Either either) {
      return kindOf(either.first(), node) || kindOf(either.second(), node);
    }
    Scalar scalar = (Scalar) schema;
    return switch (scalar) {
      case ANY -> true;
      case STRINGS -> !node.isObject();
      default -> node.isValueNode();
    };
  }

  private static String describe(ConfigSchema schema) {
    if (schema instanceof Fields fields) {
      return "a mapping with " + String.join(", ", fields.keys().keySet());
    }
    if (schema instanceof MapOf) {
      return "a mapping";
    }
    if (schema instanceof ListOf) {
      return "a list";
    }
    if (schema instanceof Either either) {
      return describe(either.first()) + " or " + describe(either.second());
    }
    return switch ((Scalar) schema) {
      case STRING -> "a text";
      case BOOLEAN -> "true or false";
      case INTEGER -> "a whole number";
      case COUNT -> "a whole number of at least 1";
      case DURATION -> "a duration";
      case STRINGS -> "a list of texts";
      case ANY -> "anything";
    };
  }

  private void fields(JsonNode node, Fields fields, String pointer, String where) {
    if (!mapping(node, pointer, where)) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> entries = node.properties().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      String key = entry.getKey();
      String child = pointer + "/" + escape(key);
      String name = where.isEmpty() ? key : where + "." + key;
      ConfigSchema shape = fields.keys().get(key);
      if (shape != null) {
        check(entry.getValue(), shape, child, name);
      } else if (!fields.open()) {
        problems.add(
            new LoadProblem(
                yaml.locateKey(child),
                "unknown key '"
                    + name
                    + "'"
                    + Suggestions.didYouMean(key, fields.keys().keySet())
                    + "; expected one of "
                    + String.join(", ", new TreeSet<>(fields.keys().keySet()))));
      } else if (!environmentKeys.reads(key)) {
        List<String> known = new ArrayList<>(fields.keys().keySet());
        known.addAll(environmentKeys.keys());
        problems.add(
            new LoadProblem(
                yaml.locateKey(child),
                "unknown key '"
                    + name
                    + "'"
                    + Suggestions.didYouMean(key, known)
                    + "; expected one of "
                    + String.join(", ", new TreeSet<>(fields.keys().keySet()))
                    + ", or a key that an intent reads as env.<key> ("
                    + environmentKeys.whyUnread(key)
                    + ")"));
      }
    }
    fields
        .required()
        .forEach(
            (key, what) -> {
              JsonNode value = node.get(key);
              if (value == null || value.isNull() || value.asText().isBlank()) {
                add(
                    pointer,
                    (where.isEmpty() ? key : where + "." + key) + " is required (" + what + ")");
              }
            });
  }

  private boolean mapping(JsonNode node, String pointer, String where) {
    if (node.isObject()) {
      return true;
    }
    add(pointer, "'" + where + "' must be a mapping, got " + shown(node));
    return false;
  }

  private void scalar(JsonNode node, Scalar scalar, String pointer, String where) {
    switch (scalar) {
      case ANY -> {}
      case STRING -> {
        if (node.isContainerNode()) {
          add(pointer, "'" + where + "' must be a text, got " + shown(node));
        }
      }
      case STRINGS -> {
        if (node.isObject()) {
          add(pointer, "'" + where + "' must be a list, got " + shown(node));
        } else if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            check(node.get(i), Scalar.STRING, pointer + "/" + i, where + "[" + i + "]");
          }
        }
      }
      case BOOLEAN -> {
        if (!(node.isBoolean() || node.asText().trim().matches("true|false"))) {
          add(pointer, "'" + where + "' must be true or false, got " + shown(node));
        }
      }
      case INTEGER -> {
        if (!(node.isIntegralNumber() || node.asText().trim().matches("-?\\d{1,9}"))) {
          add(pointer, "'" + where + "' must be a whole number, got " + shown(node));
        }
      }
      case COUNT -> {
        if (!node.asText().trim().matches("0*[1-9]\\d{0,8}")) {
          add(pointer, "'" + where + "' must be a whole number of at least 1, got " + shown(node));
        }
      }
      case DURATION -> {
        if (node.isContainerNode() || Durations.parse(node.asText()).isEmpty()) {
          add(
              pointer,
              "'" + where + "' must be a duration such as 30s, 5m or 2h, got " + shown(node));
        }
      }
    }
  }

  private static String shown(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return "'" + node.asText() + "'";
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
