package io.intentbot.bot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line of the packaged {@code intentbot.jar} as it ships: {@code java
 * @config/jvm.options -XX:SharedArchiveFile=target/intentbot.jsa … -jar intentbot.jar ARGS}, as
 * {@code ./intentbot} and the image start it, with the class archive {@code config/class-archive}
 * makes (once per build of the jar, here as there). Tests that start real processes start them
 * this way, so they run with the heap, collector, compiler and archive a real install runs with.
 */
public final class ShippedJar {

  private ShippedJar() {}

  /** {@code java @config/jvm.options CLASS-ARCHIVE -jar target/intentbot.jar ARGS}, absolute. */
  public static List<String> command(String... args) {
    Path jar = jar();
    Path options = Path.of("..", "config", "jvm.options").toAbsolutePath().normalize();
    assertThat(options).as("the shipped JVM options").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + options);
    command.addAll(archiveOptions(archive()));
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  /**
   * The options that keep the JVM's class-archive messages (an archive that does not fit, classes
   * it cannot store) off stdout, where a CLI's output is read by scripts.
   */
  public static final List<String> QUIET_ARCHIVE =
      List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  /** The options that start a JVM on {@code archive}, as ./intentbot and the image pass them. */
  public static List<String> archiveOptions(Path archive) {
    List<String> options = new ArrayList<>();
    options.add("-XX:SharedArchiveFile=" + archive);
    options.addAll(QUIET_ARCHIVE);
    return options;
  }

  /**
   * The class archive of the packaged jar, made by {@code config/class-archive} when it is missing
   * or older than the jar (as {@code ./intentbot} does), once per test JVM at most.
   */
  public static synchronized Path archive() {
    Path jar = jar();
    Path archive = jar.resolveSibling("intentbot.jsa");
    try {
      if (Files.exists(archive)
          && !Files.getLastModifiedTime(jar)
              .toInstant()
              .isAfter(Files.getLastModifiedTime(archive).toInstant())) {
        return archive;
      }
      Path script = Path.of("..", "config", "class-archive").toAbsolutePath().normalize();
      Process make =
          new ProcessBuilder(script.toString(), jar.toString(), archive.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(make.waitFor(2, TimeUnit.MINUTES)).as("config/class-archive ends").isTrue();
      assertThat(make.exitValue()).as("config/class-archive: " + out).isZero();
      assertThat(archive).as("the class archive").isNotEmptyFile();
      return archive;
    } catch (IOException e) {
      throw new IllegalStateException("cannot make the class archive: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the class archive", e);
    }
  }

  private static Path jar() {
    Path jar = Path.of("target", "intentbot.jar").toAbsolutePath();
    assertThat(jar).as("the packaged jar (built in the package phase)").exists();
    return jar;
  }
}
