package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.IntentSchemaGenerator;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.wiring.KubernetesStepTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code intents/intent.schema.json} holds the {@code with:} schema of every step type this build
 * ships, as {@link IntentSchemaGenerator} writes it. When a step type's schema changes, regenerate
 * the file with the command in the failure message.
 */
class IntentSchemaTest {

  static final Path FILE = Path.of("..", "intents", "intent.schema.json");
  static final String REGENERATE =
      "./mvnw -B -pl bot -am test -Dtest=IntentSchemaTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dintentbot.regenerate=true";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static String generated() throws Exception {
    try (KubernetesClients clients = KubernetesClients.fromKubeconfig()) {
      StepTypeRegistry registry =
          StepTypeRegistry.builder()
              .registerAll(BuiltinStepTypes.all(IntentbotConfig.empty()))
              .registerAll(KubernetesStepTypes.all(IntentbotConfig.empty(), clients))
              .build();
      return IntentSchemaGenerator.render(
          IntentSchemaGenerator.withStepTypes(JSON.readTree(FILE.toFile()), registry));
    }
  }

  @Test
  void theCommittedIntentSchemaHasTheWithSchemaOfEveryStepType() throws Exception {
    String expected = generated();
    if (Boolean.getBoolean("intentbot.regenerate")) {
      Files.writeString(FILE, expected);
    }

    assertThat(Files.readString(FILE))
        .as("intents/intent.schema.json is stale; regenerate it with: " + REGENERATE)
        .isEqualTo(expected);
  }

  @Test
  void anEditorUsingTheIntentSchemaChecksWithByTheStepsType() throws Exception {
    JsonNode intent =
        YAML.readTree(
            """
            name: demo
            steps:
              - id: list
                type: shell
                with: { command: "ls -la", shel: true }
              - id: scale
                type: kubernetes.scale
                with: { deployment: web, replicas: 2 }
            """);

    Set<ValidationMessage> messages =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(JSON.readTree(FILE.toFile()))
            .validate(intent);

    assertThat(messages)
        .extracting(m -> m.getInstanceLocation().toString())
        .contains("$.steps[0].with.command", "$.steps[0].with")
        .allMatch(location -> location.startsWith("$.steps[0]"));
  }
}
