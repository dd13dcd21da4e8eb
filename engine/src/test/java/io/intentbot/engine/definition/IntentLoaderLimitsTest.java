package io.intentbot.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.EngineFixture;
import io.intentbot.engine.yaml.LoadProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile intent files are load problems with a location, never a crash of the loader. */
class IntentLoaderLimitsTest {

  private static final String VALID =
      "name: ok\nsteps:\n  - id: a\n    type: set\n    with: { x: '1' }\n";

  @TempDir Path dir;

  private List<String> problems(EngineFixture fixture) {
    return fixture.catalog().problems().stream().map(LoadProblem::toString).toList();
  }

  @Test
  void aFileNestedDeeperThanTheLimitIsAProblemNotAStackOverflow() {
    String deep = "[".repeat(1_500) + "]".repeat(1_500);
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent("ok", VALID)
            .intent("deep", "name: deep\nsteps:\n  - id: a\n    type: set\n    with: " + deep);
    List<String> problems = problems(fixture);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("deep.yaml:5:").contains("nested deeper than 64 levels");
    assertThat(fixture.catalog().find("ok")).isPresent();
  }

  @Test
  void nestingUpToTheLimitStillLoads() {
    String nested = "[".repeat(50) + "1" + "]".repeat(50);
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "nested",
                "name: nested\nsteps:\n  - id: a\n    type: set\n    with: { x: "
                    + nested
                    + " }\n");
    assertThat(problems(fixture)).isEmpty();
  }

  @Test
  void aFileOverOneMegabyteIsRefusedBeforeItIsParsed() {
    String huge = "name: huge\ndescription: '" + "x".repeat(20 * 1024 * 1024) + "'\n";
    EngineFixture fixture = new EngineFixture(dir).intent("ok", VALID).intent("huge", huge);
    List<String> problems = problems(fixture);
    assertThat(problems)
        .containsExactly(
            "huge.yaml:1:1: the file is 20.0 MB; intent files may be at most 1 MB: split it or"
                + " move data out of it");
    assertThat(fixture.catalog().find("ok")).isPresent();
  }

  @Test
  void aSymlinkThatLeavesTheIntentsFolderIsAProblem() throws Exception {
    EngineFixture fixture = new EngineFixture(dir).intent("ok", VALID);
    Path outside = Files.writeString(dir.resolve("outside.yaml"), VALID.replace("ok", "stolen"));
    Files.createSymbolicLink(fixture.intentsDir().resolve("stolen.yaml"), outside);
    List<String> problems = problems(fixture);
    assertThat(problems)
        .containsExactly(
            "stolen.yaml:1:1: the file is a link to "
                + outside.toRealPath()
                + ", outside the intents folder: links may only point inside it");
    assertThat(fixture.catalog().find("stolen")).isEmpty();
    assertThat(fixture.catalog().find("ok")).isPresent();
  }

  @Test
  void aLibraryFolderThatIsALinkOutsideIsAProblem() throws Exception {
    EngineFixture fixture = new EngineFixture(dir).intent("ok", VALID);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("namespace.yaml"), "name: namespace\nsteps: []\n");
    Files.delete(fixture.intentsDir().resolve("lib"));
    Files.createSymbolicLink(fixture.intentsDir().resolve("lib"), elsewhere);
    assertThat(problems(fixture))
        .containsExactly(
            "lib/namespace.yaml:1:1: the file is a link to "
                + elsewhere.toRealPath().resolve("namespace.yaml")
                + ", outside the intents folder: links may only point inside it");
  }

  @Test
  void aSymlinkInsideTheFolderIsFollowed() throws Exception {
    EngineFixture fixture = new EngineFixture(dir).intent("ok", VALID);
    Files.createDirectories(fixture.intentsDir().resolve("shared"));
    Path target =
        Files.writeString(
            fixture.intentsDir().resolve("shared/also.yml.txt"), VALID.replace("ok", "also"));
    Files.createSymbolicLink(fixture.intentsDir().resolve("also.yaml"), target);
    assertThat(problems(fixture)).isEmpty();
    assertThat(fixture.catalog().find("also")).isPresent();
  }
}
