package io.intentbot.bot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the packaged {@code intentbot.jar} as it ships: {@code java
 * @config/jvm.options -jar intentbot.jar ARGS}, as {@code ./intentbot}, the image and {@code
 * bench/run} start it. Tests that start real processes start them this way, so they run with the
 * heap, collector and compiler a real install runs with.
 */
public final class ShippedJar {

  private ShippedJar() {}

  /** {@code java @config/jvm.options -jar target/intentbot.jar ARGS}, paths absolute. */
  public static List<String> command(String... args) {
    Path jar = Path.of("target", "intentbot.jar").toAbsolutePath();
    assertThat(jar).as("the packaged jar (built in the package phase)").exists();
    Path options = Path.of("..", "config", "jvm.options").toAbsolutePath().normalize();
    assertThat(options).as("the shipped JVM options").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + options);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }
}
