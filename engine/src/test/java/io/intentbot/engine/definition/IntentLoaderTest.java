package io.intentbot.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.yaml.LoadProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentLoaderTest {

  @TempDir Path dir;

  private List<String> problems(EngineFixture fixture) {
    return fixture.catalog().problems().stream().map(LoadProblem::toString).toList();
  }

  @Test
  void loadsAValidIntentWithItsParametersAndSteps() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                description: Roll out a version
                risk: mutating
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                  replicas: { type: integer, min: 1, max: 20, default: 2 }
                lock: "${{ params.app }}/${{ params.env }}"
                steps:
                  - id: version
                    type: set
                    with: { version: "1.2.3" }
                  - id: show
                    type: set
                    with: { image: "registry/${{ params.app }}:${{ steps.version.outputs.version }}" }
                outputs:
                  image: "${{ steps.show.outputs.image }}"
                """);
    IntentCatalog catalog = fixture.catalog();
    assertThat(catalog.problems()).isEmpty();
    IntentDefinition intent = catalog.find("deploy-app").orElseThrow();
    assertThat(intent.risk()).isEqualTo(Risk.MUTATING);
    assertThat(intent.parameters())
        .extracting(ParameterDefinition::name)
        .containsExactly("app", "env", "replicas");
    assertThat(intent.parameter("replicas").orElseThrow().defaultValue()).isEqualTo(2L);
    assertThat(intent.lock().keyTemplate()).isEqualTo("${{ params.app }}/${{ params.env }}");
    assertThat(intent.steps()).extracting(StepDefinition::id).containsExactly("version", "show");
  }

  @Test
  void reportsEveryProblemWithFileLineAndColumn() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "broken",
                """
                name: broken
                parameters:
                  app: { type: app, required: true }
                steps:
                  - id: first
                    type: shel
                    with: { command: [echo, hi] }
                  - id: second
                    type: set
                    with: { a: "${{ params.ap }}" }
                  - id: second
                    type: set
                    with: { b: "${{ steps.later.outputs.x }}" }
                  - id: later
                    type: set
                    with: { x: "1" }
                """);
    List<String> problems = problems(fixture);
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "broken.yaml:6:11: unknown step type 'shel' (did you mean 'shell'?); `intentbot steps` lists them",
            "broken.yaml:10:16: expression 'params.ap': unknown parameter 'ap' (did you mean 'app'?); parameters are: app",
            "broken.yaml:11:9: step id 'second' is used twice (first at broken.yaml:8:5); ids must be unique",
            "broken.yaml:13:16: expression 'steps.later.outputs.x': step 'later' does not exist before this point (a step can read only the outputs of steps before it)");
    assertThat(fixture.catalog().find("broken")).isEmpty();
  }

  @Test
  void checksWithAgainstTheStepTypesSchema() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "bad-shell",
                """
                name: bad-shell
                steps:
                  - id: run
                    type: shell
                    with:
                      command: "rm -rf /"
                """);
    List<String> problems = problems(fixture);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("bad-shell.yaml:6:16: with: of shell: command: ");
    assertThat(problems.get(0)).contains("array");
  }

  @Test
  void reportsSchemaErrorsAndNameMismatch() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "wrong",
                """
                name: other-name
                risk: dangerous
                steps: []
                """);
    List<String> problems = problems(fixture);
    assertThat(problems)
        .anyMatch(p -> p.startsWith("wrong.yaml:2:7: risk: ") && p.contains("read-only"));
    assertThat(problems)
        .contains("wrong.yaml:1:7: name 'other-name' must equal the file name 'wrong'");
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirLocation() {
    EngineFixture fixture =
        new EngineFixture(dir).intent("syntax", "name: syntax\nsteps: [\n  - id: x\n");
    List<String> problems = problems(fixture);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("syntax.yaml:").contains("not valid YAML");
  }

  @Test
  void resolvesLibrarySteps() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .library(
                "next-version",
                """
                name: next-version
                description: Next patch version
                parameters:
                  current: { type: string, required: true }
                steps:
                  - id: compute
                    type: set
                    with: { version: "${{ params.current }}.1" }
                outputs:
                  version: "${{ steps.compute.outputs.version }}"
                """)
            .intent(
                "uses-lib",
                """
                name: uses-lib
                steps:
                  - id: v
                    uses: lib/next-version
                    with: { current: "1.0" }
                  - id: w
                    uses: lib/next-version
                    with: { curent: "1.0" }
                  - id: x
                    type: set
                    with: { a: "${{ steps.v.outputs.versoin }}" }
                  - id: y
                    uses: lib/missing
                """);
    List<String> problems = problems(fixture);
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "uses-lib.yaml:8:21: lib/next-version has no parameter 'curent'; it takes: current",
            "uses-lib.yaml:8:11: lib/next-version needs parameter 'current' in with:",
            "uses-lib.yaml:11:16: expression 'steps.v.outputs.versoin': step 'v' has no output 'versoin'; it has: version",
            "uses-lib.yaml:13:11: library step 'lib/missing' does not exist; library steps live in intents/lib/NAME.yaml");
    assertThat(fixture.catalog().libraryStep("next-version")).isPresent();
  }

  @Test
  void flagsAnOutputTheStepTypeDoesNotDeclareAndAcceptsEveryStepsStatus() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "outs",
                """
                name: outs
                steps:
                  - id: build
                    type: shell
                    with: { command: ["true"] }
                  - id: report
                    type: set
                    with:
                      code: "${{ steps.build.outputs.exit_code }}"
                      typo: "${{ steps.build.outputs.exitcode }}"
                on_failure:
                  - id: undo
                    if: "${{ steps.report.status == 'not_run' && steps.build.status == 'failed' }}"
                    type: set
                    with: { x: "${{ steps.build.state }}" }
                """);
    assertThat(problems(fixture))
        .containsExactly(
            "outs.yaml:10:13: expression 'steps.build.outputs.exitcode': step 'build' (shell) has"
                + " no output 'exitcode'; it has: exit_code, stderr, stdout",
            "outs.yaml:15:16: expression 'steps.build.state': write steps.build.outputs.NAME or"
                + " steps.build.status, not steps.build.state");
  }

  @Test
  void rejectsExpressionsThatDoNotCompileOrReadUnknownRunFields() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "exprs",
                """
                name: exprs
                steps:
                  - id: a
                    type: set
                    if: "params.x +"
                    with: { v: "${{ run.user }}" }
                """);
    List<String> problems = problems(fixture);
    assertThat(problems).hasSize(2);
    assertThat(problems)
        .anyMatch(p -> p.startsWith("exprs.yaml:5:9: invalid expression 'params.x +'"));
    assertThat(problems)
        .contains(
            "exprs.yaml:6:16: expression 'run.user': run has no field 'user'; it has: dry_run, id, intent, requester");
  }

  @Test
  void suggestsCloseIntentNames() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                "name: deploy-app\nsteps:\n  - id: a\n    type: set\n    with: { x: '1' }\n")
            .intent(
                "debug-pod",
                "name: debug-pod\nsteps:\n  - id: a\n    type: set\n    with: { x: '1' }\n");
    assertThat(fixture.catalog().closest("deploy", 3)).containsExactly("deploy-app");
    assertThat(fixture.catalog().closest("debug-pdo", 3)).contains("debug-pod");
  }
}
