package io.intentbot.engine.step;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.text.Durations;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds a rendered {@code with:} block to the input record of a {@link TypedStepType} and checks it
 * against the step type's schema again, now that every {@code ${{ }}} is rendered.
 *
 * <p>Order: binding first, so a field of the wrong type, an unknown field and the record's own
 * checks (its compact constructor) give their specific messages; then the schema, for everything
 * else it says (required fields, enums, bounds). The schema checks the fields given, each with the
 * value the bound record made of it, so what a compact constructor normalizes ({@code post} to
 * {@code POST}) is what is checked, while defaults it fills in for absent fields are not. A
 * free-form {@code record X(StepInput values)} is checked as given. Strings still holding an
 * expression or a dry run's placeholder are not checked against the schema: their value is not
 * known yet.
 */
final class InputBinder<I extends Record> {

  /**
   * The one mapper for step inputs: snake_case fields, lenient scalars, durations as people write
   * them, unknown fields refused.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .addModule(new JavaTimeModule())
          .addModule(
              new SimpleModule("intentbot-durations")
                  .addDeserializer(Duration.class, new DurationDeserializer())
                  .addSerializer(Duration.class, new DurationSerializer()))
          .build();

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** Rendered values are read leniently: "5" is an integer, a single value a list. */
  private static final SchemaValidatorsConfig RENDERED =
      SchemaValidatorsConfig.builder().typeLoose(true).build();

  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private final String typeName;
  private final Class<I> inputType;
  private final JsonNode schemaNode;
  private volatile JsonSchema schema;
  private final ObjectReader reader;
  private final Constructor<I> whole;

  InputBinder(String typeName, Class<I> inputType, JsonNode schemaNode) {
    this.typeName = typeName;
    this.inputType = inputType;
    this.schemaNode = schemaNode;
    this.reader = MAPPER.readerFor(inputType);
    this.whole = wholeInputConstructor(inputType);
  }

  /**
   * The compiled schema, made on the first input bound: a process compiles only the schemas of the
   * step types its runs use, not all of them at registration.
   */
  private JsonSchema schema() {
    JsonSchema compiled = schema;
    if (compiled == null) {
      compiled = FACTORY.getSchema(schemaNode, RENDERED);
      schema = compiled;
    }
    return compiled;
  }

  /** The constructor of {@code record X(StepInput values)}: a free-form block, taken as given. */
  private static <I extends Record> Constructor<I> wholeInputConstructor(Class<I> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components.length != 1 || components[0].getType() != StepInput.class) {
      return null;
    }
    try {
      Constructor<I> constructor = type.getDeclaredConstructor(StepInput.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record always has its canonical constructor", e);
    }
  }

  I bind(StepInput input) {
    JsonNode tree = MAPPER.valueToTree(withoutNulls(input.values()));
    I bound;
    try {
      bound = whole == null ? reader.readValue(tree) : whole.newInstance(input);
    } catch (IOException e) {
      throw bindingProblem(e, tree);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException own) {
        throw own;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + inputType.getName(), e);
    }
    JsonNode seen = whole == null ? given(bound, tree) : tree;
    Optional<InvalidStepInputException> problem = schemaProblem(seen);
    if (problem.isPresent()) {
      throw problem.get();
    }
    return bound;
  }

  /**
   * The fields given, each with the value the record made of it ({@code post} became {@code POST});
   * defaults the record filled in for absent fields are not the user's and are left out.
   */
  private static ObjectNode given(Record bound, JsonNode given) {
    ObjectNode out = MAPPER.createObjectNode();
    for (RecordComponent component : bound.getClass().getRecordComponents()) {
      String name = SNAKE_CASE.translate(component.getName());
      if (!given.has(name)) {
        continue;
      }
      Object value;
      try {
        Method accessor = component.getAccessor();
        accessor.setAccessible(true);
        value = accessor.invoke(bound);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component, e);
      }
      out.set(name, value == null ? given.get(name) : MAPPER.valueToTree(value));
    }
    return out;
  }

  private RuntimeException bindingProblem(IOException e, JsonNode tree) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException own) {
        return own;
      }
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new InvalidStepInputException(
          path(unknown.getPath()),
          null,
          "is not a field of "
              + typeName
              + (unknown.getPath().size() == 1
                  ? takes("")
                  : unknown.getKnownPropertyIds() == null
                      ? ""
                      : "; it takes: "
                          + unknown.getKnownPropertyIds().stream()
                              .map(String::valueOf)
                              .sorted()
                              .collect(Collectors.joining(", "))));
    }
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String field = path(mismatch.getPath());
      JsonNode given = tree.at(pointer(mismatch.getPath()));
      return new InvalidStepInputException(
          field,
          given.isMissingNode() ? null : display(given),
          expectation(mismatch.getTargetType()));
    }
    Optional<InvalidStepInputException> problem = schemaProblem(tree);
    if (problem.isPresent()) {
      return problem.get();
    }
    return new IllegalStateException(
        "cannot bind the with: of "
            + typeName
            + " to "
            + inputType.getSimpleName()
            + ": "
            + (e instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage()),
        e);
  }

  private Optional<InvalidStepInputException> schemaProblem(JsonNode tree) {
    return schema().validate(tree).stream()
        .filter(m -> "required".equals(m.getType()) || !unrendered(m.getInstanceNode()))
        .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
        .findFirst()
        .map(this::problem);
  }

  private InvalidStepInputException problem(ValidationMessage message) {
    String at = field(message.getInstanceLocation());
    JsonNode instance = message.getInstanceNode();
    return switch (message.getType()) {
      case "required" ->
          new InvalidStepInputException(join(at, message.getProperty()), null, "is required");
      case "additionalProperties" ->
          new InvalidStepInputException(
              join(at, message.getProperty()), null, "is not a field of " + typeName + takes(at));
      case "type" ->
          new InvalidStepInputException(
              at, display(instance), "must be " + types(message.getSchemaNode()));
      default -> new InvalidStepInputException(at, display(instance), text(message));
    };
  }

  /** "; it takes: a, b" for the block itself, where the schema lists its fields. */
  private String takes(String at) {
    JsonNode properties = schemaNode.path("properties");
    if (!at.isEmpty() || !properties.isObject() || properties.isEmpty()) {
      return "";
    }
    List<String> names = new ArrayList<>();
    properties.fieldNames().forEachRemaining(names::add);
    return "; it takes: " + String.join(", ", names);
  }

  private static String types(JsonNode type) {
    List<String> names = new ArrayList<>();
    if (type != null && type.isArray()) {
      type.forEach(t -> names.add(t.asText()));
    } else if (type != null) {
      names.add(type.asText());
    }
    return names.stream().map(InputBinder::typePhrase).collect(Collectors.joining(" or "));
  }

  private static String typePhrase(String jsonType) {
    return switch (jsonType) {
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "array" -> "a list";
      case "object" -> "a mapping";
      case "string" -> "text";
      default -> jsonType;
    };
  }

  private static String expectation(Class<?> target) {
    if (target == null) {
      return "has the wrong type";
    }
    if (target == int.class
        || target == Integer.class
        || target == long.class
        || target == Long.class
        || target == short.class
        || target == Short.class
        || target == BigInteger.class) {
      return "must be a whole number";
    }
    if (target == double.class
        || target == Double.class
        || target == float.class
        || target == Float.class
        || target == BigDecimal.class
        || target == Number.class) {
      return "must be a number";
    }
    if (target == boolean.class || target == Boolean.class) {
      return "must be true or false";
    }
    if (target == Duration.class) {
      return "must be a duration such as 30s, 5m or 1h";
    }
    if (target == String.class) {
      return "must be text";
    }
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "must be a list";
    }
    if (Map.class.isAssignableFrom(target) || target.isRecord()) {
      return "must be a mapping";
    }
    if (target.isEnum()) {
      return "must be one of "
          + java.util.Arrays.stream(target.getEnumConstants())
              .map(c -> MAPPER.convertValue(c, String.class))
              .collect(Collectors.joining(", "));
    }
    return "must be a " + target.getSimpleName();
  }

  private static String text(ValidationMessage message) {
    String text = message.getMessage();
    String location = message.getInstanceLocation().toString() + ": ";
    return text.startsWith(location) ? text.substring(location.length()) : text;
  }

  private static boolean unrendered(JsonNode instance) {
    if (instance == null || !instance.isTextual()) {
      return false;
    }
    String text = instance.asText();
    return text.contains("${{") || text.contains(Expressions.PLACEHOLDER_OPEN);
  }

  private static String display(JsonNode node) {
    return node == null ? null : node.isTextual() ? node.asText() : node.toString();
  }

  private static String field(JsonNodePath path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Number) {
        out.append('[').append(element).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(element);
      }
    }
    return out.toString();
  }

  private static String join(String at, String name) {
    return at.isEmpty() ? String.valueOf(name) : at + "." + name;
  }

  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() == null) {
        out.append('[').append(ref.getIndex()).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    return out.toString();
  }

  private static String pointer(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      out.append('/')
          .append(
              ref.getFieldName() == null
                  ? String.valueOf(ref.getIndex())
                  : ref.getFieldName().replace("~", "~0").replace("/", "~1"));
    }
    return out.toString();
  }

  /** Null entries are absent, as {@link StepInput} says. */
  private static Object withoutNulls(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (v != null) {
              out.put(String.valueOf(k), withoutNulls(v));
            }
          });
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(v instanceof Map<?, ?> ? withoutNulls(v) : v));
      return out;
    }
    return value;
  }

  /** Writes a duration back in ISO-8601 ({@code PT1M30S}), which duration schemas accept. */
  private static final class DurationSerializer extends StdScalarSerializer<Duration> {

    private static final long serialVersionUID = 1L;

    DurationSerializer() {
      super(Duration.class);
    }

    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider)
        throws IOException {
      generator.writeString(value.toString());
    }
  }

  /** {@code 30s}, {@code 5m}, {@code 1h30m} or ISO-8601, through {@link Durations}. */
  private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {

    private static final long serialVersionUID = 1L;

    DurationDeserializer() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      if (text == null) {
        text = parser.readValueAsTree().toString();
      }
      Optional<Duration> parsed = Durations.parse(text);
      if (parsed.isEmpty()) {
        throw InvalidFormatException.from(parser, "not a duration", text, Duration.class);
      }
      return parsed.get();
    }
  }
}
