package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in step type's {@code with:} schema is valid and means what it says. */
class WithSchemasTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final List<StepType> TYPES = BuiltinStepTypes.all(IntentbotConfig.empty());

  private static StepType type(String name) {
    return TYPES.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static Set<ValidationMessage> validate(String type, String withYaml) throws Exception {
    JsonSchema schema = FACTORY.getSchema(type(type).withSchema());
    return schema.validate(YAML.readTree(withYaml));
  }

  static Stream<StepType> types() {
    return TYPES.stream();
  }

  @ParameterizedTest
  @MethodSource("types")
  void eachSchemaIsAValidDraft202012Schema(StepType type) {
    JsonSchema metaSchema =
        FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    JsonNode schema = type.withSchema();

    assertThat(metaSchema.validate(schema)).isEmpty();
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(type.description()).isNotBlank();
  }

  @Test
  void theMetaSchemaCheckCatchesABrokenSchema() throws Exception {
    JsonSchema metaSchema =
        FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    assertThat(metaSchema.validate(YAML.readTree("{type: strnig, required: command}")))
        .isNotEmpty();
  }

  @Test
  void theBuiltinsRegisterUnderTheirNames() {
    StepTypeRegistry registry = StepTypeRegistry.builder().registerAll(TYPES).build();

    assertThat(registry.names())
        .containsExactly(
            "assert",
            "files.check",
            "files.render",
            "flyway",
            "flyway.schema-diff",
            "flyway.undo",
            "git",
            "http",
            "set",
            "shell",
            "sql",
            "sql.dump",
            "wait");
  }

  @Test
  void withSchemaIsACopyCallersCannotChange() {
    StepType shell = type("shell");
    ((com.fasterxml.jackson.databind.node.ObjectNode) shell.withSchema()).remove("required");

    assertThat(shell.withSchema().has("required")).isTrue();
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("shell", "command: [kubectl, get, pods, -n, web]"),
        Arguments.of(
            "shell",
            "{command: [sleep, 3], workdir: deploy, env: {A: b, N: 1}, secret_env: [A],"
                + " output_limit: 100, allow_failure: '${{ params.lenient }}'}"),
        Arguments.of("http", "{url: 'https://web.example/healthz'}"),
        Arguments.of(
            "http",
            "{url: 'http://x/${{ params.app }}', method: POST, headers: {Accept: json},"
                + " body: {a: 1}, expect_status: [200, 2xx, 300-304], expect_body_contains: UP,"
                + " poll: {interval: 2s, timeout: 1m}, request_timeout: 500ms}"),
        Arguments.of(
            "sql", "{datasource: app, query: 'select 1', params: [1, a, null], max_rows: 5}"),
        Arguments.of("sql", "{datasource: app, statement: 'delete from t'}"),
        Arguments.of("sql.dump", "{datasource: app, file: '${{ env.db_dump_dir }}/app.sql'}"),
        Arguments.of("flyway", "{datasource: app, action: migrate, target: '3', locations: [db]}"),
        Arguments.of("git", "{action: tag-exists, tag: v1, require: true}"),
        Arguments.of("git", "{repo: ., action: tags, prefix: web/}"),
        Arguments.of("set", "{anything: 1, goes: [x]}"),
        Arguments.of("wait", "{duration: 30s, message: settling}"),
        Arguments.of("wait", "{duration: '${{ params.pause }}'}"));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void acceptsWellFormedWithBlocks(String type, String with) throws Exception {
    assertThat(validate(type, with)).isEmpty();
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("shell", "{command: 'rm -rf /tmp/x; echo done'}", "command"),
        Arguments.of("shell", "{command: []}", "command"),
        Arguments.of("shell", "{command: [ls], shell: true}", "shell"),
        Arguments.of("shell", "{command: [ls], output_limit: lots}", "output_limit"),
        Arguments.of("http", "{method: GET}", "url"),
        Arguments.of("http", "{url: 'ftp://x'}", "url"),
        Arguments.of("http", "{url: 'http://x', expect_status: 'ok'}", "expect_status"),
        Arguments.of("http", "{url: 'http://x', poll: {every: 2s}}", "every"),
        Arguments.of(
            "http", "{url: 'http://x', request_timeout: 'ten seconds'}", "request_timeout"),
        Arguments.of("sql", "{datasource: app}", "query"),
        Arguments.of("sql", "{datasource: app, query: 'select 1', statement: 'delete from t'}", ""),
        Arguments.of("sql.dump", "{datasource: app}", "file"),
        Arguments.of("sql.dump", "{datasource: app, file: x.sql, overwrite: true}", "overwrite"),
        Arguments.of("flyway", "{datasource: app, action: clean}", "action"),
        Arguments.of("git", "{action: tag-exists}", "tag"),
        Arguments.of("git", "{action: push}", "action"),
        Arguments.of("set", "[a, b]", ""),
        Arguments.of("wait", "{duration: soon}", "duration"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void rejectsObviouslyWrongWithBlocks(String type, String with, String mentioned)
      throws Exception {
    Set<ValidationMessage> messages = validate(type, with);

    assertThat(messages).isNotEmpty();
    assertThat(messages.toString()).contains(mentioned);
  }
}
