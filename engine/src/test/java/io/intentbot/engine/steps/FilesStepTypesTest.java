package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesStepTypesTest {

  @TempDir Path dir;
  private Path intents;
  private Path target;
  private RecordingStepContext context;
  private final FilesRenderStepType render = new FilesRenderStepType();
  private final FilesCheckStepType check = new FilesCheckStepType();

  @BeforeEach
  void setUp() throws Exception {
    intents = Files.createDirectories(dir.resolve("intents"));
    Path template = Files.createDirectories(intents.resolve("templates/app/k8s"));
    Files.writeString(intents.resolve("templates/app/README.md"), "# {{name}}\n");
    Files.writeString(intents.resolve("templates/app/{{name}}.txt"), "port {{ port }}\n");
    Files.writeString(
        template.resolve("service.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata: { name: \"{{name}}\" }\nspec: { ports: [ { port: {{port}} } ] }\n");
    target = dir.resolve("out/shop");
    context = new RecordingStepContext(IntentbotConfig.empty(), null, null, intents);
  }

  private StepInput renderInput(Map<String, Object> values) {
    return StepInput.of(
        Map.of("template", "templates/app", "target", target.toString(), "values", values));
  }

  @Test
  void rendersContentsAndPathsAndChecksTheResult() throws Exception {
    assertThat(render.plan(renderInput(Map.of("name", "shop", "port", 3000)), context).details())
        .containsExactly("write README.md", "write k8s/service.yaml", "write shop.txt");
    assertThat(target).doesNotExist();

    StepResult result = render.execute(renderInput(Map.of("name", "shop", "port", 3000)), context);

    assertThat(result.success()).as(String.valueOf(result.reason())).isTrue();
    assertThat(result.outputs())
        .containsEntry("count", 3)
        .containsEntry("target", target.toAbsolutePath().toString());
    assertThat(Files.readString(target.resolve("shop.txt"))).isEqualTo("port 3000\n");
    StepResult checked =
        check.execute(
            StepInput.of(
                Map.of(
                    "dir", target.toString(),
                    "exist", List.of("README.md"),
                    "contains", Map.of("README.md", "# shop"),
                    "manifests", List.of("k8s/service.yaml"),
                    "kinds", List.of("Service"))),
            context);
    assertThat(checked.success()).as(String.valueOf(checked.reason())).isTrue();
    assertThat(checked.outputs()).containsEntry("objects", List.of("Service/shop"));
  }

  @Test
  void refusesMissingValuesAndAnOccupiedTargetBeforeWritingAnything() throws Exception {
    assertThatThrownBy(() -> render.plan(renderInput(Map.of("name", "shop")), context))
        .hasMessageContaining("needs values for port");
    assertThat(render.execute(renderInput(Map.of("name", "shop")), context).reason())
        .contains("port");
    assertThat(target).doesNotExist();

    Files.createDirectories(target);
    Files.writeString(target.resolve("mine.txt"), "keep");
    assertThat(render.execute(renderInput(Map.of("name", "shop", "port", 1)), context).reason())
        .contains("already has files");
  }

  @Test
  void refusesYamlThatNoLongerParsesAfterFilling() throws Exception {
    StepResult result =
        render.execute(renderInput(Map.of("name", "shop", "port", "[oops")), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).contains("k8s/service.yaml is not valid YAML");
    assertThat(target).doesNotExist();
  }

  @Test
  void checkListsEveryProblem() throws Exception {
    Files.createDirectories(target);
    Files.writeString(target.resolve("bad.yaml"), "kind: Service\nmetadata: {}\n");

    StepResult result =
        check.execute(
            StepInput.of(
                Map.of(
                    "dir", target.toString(),
                    "exist", List.of("package.json"),
                    "manifests", List.of("bad.yaml"),
                    "kinds", List.of("Deployment"))),
            context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .contains("package.json is missing or empty")
        .contains("bad.yaml: a Kubernetes object without apiVersion, metadata.name")
        .contains("no Deployment among the manifests");
  }
}
