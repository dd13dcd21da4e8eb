package io.intentbot.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.intentbot.engine.step.IntentSchemaGenerator;
import java.util.Comparator;
import java.util.List;

/** Validates a YAML node against a JSON Schema and reports each error where it was written. */
final class SchemaCheck {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private final JsonSchema schema;

  SchemaCheck(JsonNode schemaNode) {
    this.schema = FACTORY.getSchema(schemaNode);
  }

  /**
   * Checks {@code node}, found at {@code basePointer} in the file. Errors on a string holding an
   * expression are skipped: its type is known only when it is rendered.
   */
  void check(JsonNode node, String basePointer, String what, Problems problems) {
    List<ValidationMessage> messages =
        schema.validate(node).stream()
            .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
            .toList();
    for (ValidationMessage message : messages) {
      if (generatedWithSchema(message)) {
        continue;
      }
      JsonNode instance = message.getInstanceNode();
      if (instance != null
          && instance.isTextual()
          && instance.asText().contains("${{")
          && !"required".equals(message.getType())) {
        continue;
      }
      String pointer = basePointer + pointer(message.getInstanceLocation());
      problems.add(pointer, what + text(message));
    }
  }

  /**
   * Whether the message comes from a step type's {@code with:} schema that {@link
   * IntentSchemaGenerator} wrote into the intent schema for editors: the step check reports those
   * itself, naming the step type.
   */
  private static boolean generatedWithSchema(ValidationMessage message) {
    String location = String.valueOf(message.getSchemaLocation());
    return location.contains("#" + IntentSchemaGenerator.WITH_DEFS);
  }

  private static String pointer(JsonNodePath path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      out.append('/').append(String.valueOf(element).replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  private static String text(ValidationMessage message) {
    String text = message.getMessage();
    String location = message.getInstanceLocation().toString();
    if (text.startsWith(location + ": ")) {
      text = text.substring(location.length() + 2);
    }
    String where = location.equals("$") ? "" : location.substring(Math.min(2, location.length()));
    return where.isEmpty() ? text : where + ": " + text;
  }
}
