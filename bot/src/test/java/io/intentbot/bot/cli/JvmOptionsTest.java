package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** config/jvm.options, which ./intentbot, the image and bench/run pass to java, is read by java. */
class JvmOptionsTest {

  @Test
  void javaAcceptsTheShippedOptionsAndAppliesThem() throws Exception {
    Path options = Path.of("..", "config", "jvm.options").toAbsolutePath().normalize();
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + options,
                "-XX:+PrintFlagsFinal",
                "-version")
            .redirectErrorStream(true)
            .start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(java.exitValue()).as(out).isZero();
    assertThat(out)
        .containsPattern("MaxHeapSize\\s+= 134217728 ")
        .containsPattern("UseSerialGC\\s+= true ")
        .containsPattern("TieredStopAtLevel\\s+= 1 ")
        .containsPattern("ExitOnOutOfMemoryError\\s+= true ");
  }
}
