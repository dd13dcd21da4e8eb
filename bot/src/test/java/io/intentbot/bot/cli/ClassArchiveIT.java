package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.ShippedJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class archive ({@code config/class-archive}) that {@code ./intentbot} and the image start
 * with: the JVM maps intentbot's classes from it, and an archive that does not fit the jar is
 * ignored without a word on stdout (a CLI's output is read by scripts).
 */
class ClassArchiveIT {

  @Test
  void theJvmMapsIntentbotsClassesFromTheArchive() throws Exception {
    Path jar = Path.of("target", "intentbot.jar").toAbsolutePath();
    String out = java(jar, "-Xlog:class+load=info", "--version");

    assertThat(out)
        .contains("intentbot dev")
        .containsPattern(
            "io\\.intentbot\\.bot\\.cli\\.IntentbotCommand source: shared objects file \\(top\\)");
  }

  @Test
  void anArchiveOfAnotherBuildIsIgnoredSilently(@TempDir Path dir) throws Exception {
    Path rebuilt = Files.copy(Path.of("target", "intentbot.jar"), dir.resolve("intentbot.jar"));
    Files.setLastModifiedTime(rebuilt, FileTime.from(Instant.now().plusSeconds(60)));

    assertThat(java(rebuilt, "--version")).isEqualTo("intentbot dev\n");
  }

  @Test
  void theImageMakesItsArchiveAndStartsWithIt() throws Exception {
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));

    assertThat(dockerfile)
        .contains("RUN /app/config/class-archive /app/intentbot.jar /app/intentbot.jsa")
        .contains(
            "ENTRYPOINT [\"java\", \"@/app/config/jvm.options\", \""
                + String.join("\", \"", ShippedJar.archiveOptions(Path.of("/app/intentbot.jsa")))
                + "\", \"-jar\", \"/app/intentbot.jar\"]");
  }

  @Test
  void theLauncherStartsWithTheSameArchiveOptions() throws Exception {
    String launcher = Files.readString(Path.of("..", "intentbot"));

    assertThat(launcher)
        .contains("\"$here/config/class-archive\" \"$jar\" \"$archive\"")
        .contains(
            "cds=(-XX:SharedArchiveFile=\"$archive\" "
                + String.join(" ", ShippedJar.QUIET_ARCHIVE)
                + ")");
  }

  /** stdout and stderr of {@code java @jvm.options ARCHIVE [jvmOption] -jar JAR ARG}. */
  private static String java(Path jar, String... optionThenArg) throws Exception {
    Path options = Path.of("..", "config", "jvm.options").toAbsolutePath().normalize();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + options);
    command.addAll(ShippedJar.archiveOptions(ShippedJar.archive()));
    for (int i = 0; i < optionThenArg.length - 1; i++) {
      command.add(optionThenArg[i]);
    }
    command.add("-jar");
    command.add(jar.toString());
    command.add(optionThenArg[optionThenArg.length - 1]);
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(out).isZero();
    return out;
  }
}
