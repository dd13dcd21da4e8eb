package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Flyway reads the Slack adapter's migrations from {@code db/slack/migrations.list} instead of
 * scanning the class path: the list must name every migration in the folder.
 */
class SlackMigrationsListTest {

  @Test
  void theListNamesEveryMigrationInTheFolder() throws Exception {
    Path folder = Path.of(getClass().getClassLoader().getResource("db/slack").toURI());
    List<String> inFolder;
    try (Stream<Path> files = Files.list(folder)) {
      inFolder =
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
    }
    List<String> listed =
        Files.readAllLines(folder.resolve("migrations.list"), StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();

    assertThat(listed).containsExactlyInAnyOrderElementsOf(inFolder);
  }
}
