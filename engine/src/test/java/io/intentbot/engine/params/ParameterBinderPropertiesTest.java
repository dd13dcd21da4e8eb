package io.intentbot.engine.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.text.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Parameter validation under random and hostile arguments: it never throws, every problem is a
 * bounded message that names what is wrong, what it lets through obeys the declared types and
 * constraints, and a secret value never appears in a message.
 */
class ParameterBinderPropertiesTest {

  static final String INTENT =
      """
      name: deploy-app
      parameters:
        app: { type: app, required: true }
        env: { type: environment, required: true }
        version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$', description: image tag }
        replicas: { type: integer, min: 1, max: 20, default: 2 }
        auto_rollback: { type: boolean, default: true }
        mode: { type: enum, values: [previous, version], default: previous }
        wait: { type: duration, default: 5m }
        note: { type: string }
        token: { type: string, secret: true }
      steps:
        - id: a
          type: set
          with: { x: "1" }
      """;

  static final List<String> NAMES =
      List.of(
          "app", "env", "version", "replicas", "auto_rollback", "mode", "wait", "note", "token");

  private static Path dir;
  private static IntentDefinition intent;
  private static IntentbotConfig config;
  private static ParameterBinder binder;

  @BeforeContainer
  static void load() throws IOException {
    dir = Files.createTempDirectory("binder-properties");
    EngineFixture fixture = new EngineFixture(dir).intent("deploy-app", INTENT);
    intent = fixture.catalog().find("deploy-app").orElseThrow();
    config = fixture.loadConfig();
    binder = new ParameterBinder(config);
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<List<String>> arguments() {
    Arbitrary<String> key =
        Arbitraries.oneOf(Arbitraries.of(NAMES), Arbitraries.strings().all().ofMaxLength(20));
    Arbitrary<String> pair =
        Arbitraries.oneOf(
            key.flatMap(k -> HostileInput.anyText().map(v -> k + "=" + v)), HostileInput.anyText());
    return pair.list().ofMaxSize(12);
  }

  @Property(tries = 400)
  void bindingNeverThrowsAndEveryProblemIsAClearBoundedMessage(
      @ForAll("arguments") List<String> arguments) {
    BindResult result = binder.bind(intent, arguments);

    if (!result.ok()) {
      assertThat(result.parameters()).isNull();
      assertThat(result.errors())
          .allSatisfy(
              error -> {
                assertThat(error).isNotBlank().doesNotContain("Exception");
                assertThat(error.length()).isLessThan(1200);
                assertThat(error)
                    .containsAnyOf(
                        "parameter '", "key=value", "is given twice", "unknown parameter");
              });
      return;
    }
    Map<String, Object> values = result.parameters().values();
    assertThat(config.apps()).contains((String) values.get("app"));
    assertThat(config.environments()).containsKey((String) values.get("env"));
    assertThat((Long) values.get("replicas")).isBetween(1L, 20L);
    assertThat(values.get("auto_rollback")).isInstanceOf(Boolean.class);
    assertThat(List.of("previous", "version")).contains((String) values.get("mode"));
    assertThat(Durations.parse((String) values.get("wait"))).isPresent();
    if (values.get("version") != null) {
      assertThat((String) values.get("version")).matches("^\\d+\\.\\d+\\.\\d+$");
    }
    for (String text : new String[] {(String) values.get("note"), (String) values.get("token")}) {
      if (text != null) {
        assertThat(text.length()).isLessThanOrEqualTo(ParameterBinder.MAX_VALUE_LENGTH);
        assertThat(text.chars()).noneMatch(c -> Character.isISOControl(c) && c != '\t');
      }
    }
    assertThat(result.parameters().display().get("token")).isIn(null, "***");
  }

  @Property(tries = 200)
  void aSecretNeverShowsUpInAMessage(
      @ForAll("arguments") List<String> others, @ForAll("secretTail") String tail) {
    String secret = "S3CR3T-" + tail;
    List<String> arguments = new ArrayList<>(others);
    arguments.add("token=" + secret);
    BindResult result = binder.bind(intent, arguments);

    assertThat(result.errors()).noneMatch(e -> e.contains("S3CR3T"));
    if (result.ok()) {
      assertThat(result.parameters().display().get("token")).isEqualTo("***");
      assertThat(result.parameters().display().values()).noneMatch(a -> a.contains("S3CR3T"));
    }
  }

  @Provide
  Arbitrary<String> secretTail() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.of(HostileInput.FRAGMENTS),
        Arbitraries.strings().all().ofMinLength(1100).ofMaxLength(1300));
  }
}
