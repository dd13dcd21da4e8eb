package io.intentbot.engine.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes every step type's {@code with:} schema into the intent schema, so that an editor using
 * {@code intents/intent.schema.json} completes and checks the {@code with:} of a step by its {@code
 * type:}. Generated parts, replaced on every run (the rest of the file is kept as written):
 *
 * <ul>
 *   <li>{@code $defs/with.<type>}: the step type's schema, its local {@code $ref}s rewritten to
 *       point inside it;
 *   <li>{@code $defs/step/allOf}: one {@code if: {type: <type>}, then: {with: $ref}} per type;
 *   <li>{@code $defs/step/properties/type/examples}: the type names, for completion.
 * </ul>
 *
 * <p>The intent loader checks {@code with:} with each step type's own schema (and names the type in
 * its messages), so its check of the intent schema leaves the generated part out.
 */
public final class IntentSchemaGenerator {

  /**
   * Where the generated {@code with:} schemas live in the intent schema: {@code $defs} entries
   * named {@code with.<type>}. Flat, since every entry of {@code $defs} is read as a schema: under
   * one {@code $defs/with} object the type names were read as unknown keywords (and logged).
   */
  public static final String WITH_DEFS = "/$defs/with.";

  private IntentSchemaGenerator() {}

  /** A copy of {@code intentSchema} with the {@code with:} schemas of every registered type. */
  public static ObjectNode withStepTypes(JsonNode intentSchema, StepTypeRegistry registry) {
    ObjectNode schema = intentSchema.deepCopy();
    ObjectNode defs = schema.withObjectProperty("$defs");
    defs.remove("with");
    List<String> generated = new ArrayList<>();
    defs.fieldNames()
        .forEachRemaining(
            name -> {
              if (name.startsWith("with.")) {
                generated.add(name);
              }
            });
    defs.remove(generated);
    ObjectNode step = defs.withObjectProperty("step");
    ArrayNode cases = step.putArray("allOf");
    ArrayNode names =
        step.withObjectProperty("properties").withObjectProperty("type").putArray("examples");
    for (StepType type : registry.all()) {
      ObjectNode typeSchema = type.withSchema().deepCopy();
      typeSchema.remove("$schema");
      typeSchema.remove("$id");
      String pointer = "#" + WITH_DEFS + escape(type.name());
      rewriteRefs(typeSchema, pointer);
      defs.set("with." + type.name(), typeSchema);
      names.add(type.name());
      ObjectNode when = cases.addObject();
      ObjectNode condition = when.putObject("if");
      condition.putObject("properties").putObject("type").put("const", type.name());
      condition.putArray("required").add("type");
      when.putObject("then").putObject("properties").putObject("with").put("$ref", pointer);
    }
    return schema;
  }

  /** The schema as the committed file holds it: two-space indents, a final newline. */
  public static String render(JsonNode schema) {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return InputBinder.MAPPER.writer(printer).writeValueAsString(schema) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void rewriteRefs(JsonNode node, String base) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith("#")) {
        object.put("$ref", base + ref.asText().substring(1));
      }
      Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
      while (fields.hasNext()) {
        rewriteRefs(fields.next().getValue(), base);
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> rewriteRefs(item, base));
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
