package io.intentbot.bot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code intentbot steps [TYPE]}: the step types and the schema of their {@code with:}. */
@Command(
    name = "steps",
    description = {
      "List the step types with the fields of their with:, generated from the step types themselves. With TYPE: its whole JSON Schema.",
      "--json prints only JSON: the schema of TYPE's with:, or (without TYPE) an object of every step type's."
    })
final class StepsCommand extends BaseCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE")
  String type;

  @Option(
      names = "--json",
      description = "print the JSON Schema of TYPE's with: and nothing else (one JSON document)")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Bootstrap boot = bootstrap()) {
      var registry = boot.registry();
      if (type == null && json) {
        ObjectNode all = Json.MAPPER.createObjectNode();
        registry.all().forEach(step -> all.set(step.name(), step.withSchema()));
        out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
        return ExitCode.SUCCEEDED;
      }
      if (type == null) {
        for (StepType step : registry.all()) {
          out().println(step.name() + " - " + step.description());
          fields(step.withSchema()).forEach(f -> out().println("    " + f));
        }
        return ExitCode.SUCCEEDED;
      }
      StepType step = registry.find(type).orElse(null);
      if (step == null) {
        err()
            .println(
                "error: unknown step type '"
                    + type
                    + "'; known: "
                    + String.join(", ", registry.names()));
        return ExitCode.INVALID;
      }
      if (json) {
        out()
            .println(
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(step.withSchema()));
      } else {
        out().println(step.name() + " - " + step.description());
        out().println("with:");
        fields(step.withSchema()).forEach(f -> out().println("  " + f));
      }
      return ExitCode.SUCCEEDED;
    }
  }

  /** One line a property: name, type, required, description. */
  static List<String> fields(JsonNode schema) {
    List<String> lines = new ArrayList<>();
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    Iterator<Map.Entry<String, JsonNode>> properties =
        schema.path("properties").properties().iterator();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      JsonNode node = property.getValue();
      StringBuilder line = new StringBuilder(property.getKey()).append(": ").append(typeOf(node));
      if (required.contains(property.getKey())) {
        line.append(", required");
      }
      if (node.has("default")) {
        line.append(", default ").append(node.get("default"));
      }
      if (node.has("description")) {
        line.append(" - ").append(node.get("description").asText());
      }
      lines.add(line.toString());
    }
    if (lines.isEmpty() && schema.path("additionalProperties").isObject()
        || schema.path("additionalProperties").asBoolean(false)) {
      lines.add("(any NAME: value entries)");
    }
    return lines;
  }

  private static String typeOf(JsonNode node) {
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.get("enum").forEach(v -> values.add(v.asText()));
      return String.join("|", values);
    }
    if (node.has("type")) {
      JsonNode type = node.get("type");
      if (type.isArray()) {
        List<String> types = new ArrayList<>();
        type.forEach(t -> types.add(t.asText()));
        return String.join("|", types);
      }
      if ("array".equals(type.asText()) && node.path("items").has("type")) {
        return "list of " + node.path("items").path("type").asText();
      }
      return type.asText();
    }
    if (node.has("oneOf") || node.has("anyOf")) {
      return "one of several shapes";
    }
    return "any";
  }
}
