package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flyway locations of a step, as the {@code flyway} step type resolves them: the given folders,
 * or else the datasource's migrations folder, relative to the intents folder, each one required to
 * exist.
 */
final class MigrationLocations {

  private static final String FILESYSTEM = "filesystem:";

  private MigrationLocations() {}

  /** {@code filesystem:} locations, or IllegalArgumentException saying what is wrong. */
  static List<String> resolve(List<String> given, DatasourceConfig datasource, Path intentsDir) {
    List<String> folders = given;
    if (folders.isEmpty()) {
      if (datasource.migrations() == null || datasource.migrations().isBlank()) {
        throw new IllegalArgumentException(
            "datasource '"
                + datasource.name()
                + "' has no migrations folder in config; give 'locations'");
      }
      folders = List.of(datasource.migrations());
    }
    List<String> locations = new ArrayList<>();
    for (String folder : folders) {
      String path = folder.trim();
      if (path.startsWith(FILESYSTEM)) {
        path = path.substring(FILESYSTEM.length());
      } else if (path.matches("^[a-z]{2,}:.*")) {
        throw new IllegalArgumentException(
            "migration location '" + folder + "' must be a folder (filesystem:), not " + path);
      }
      Path resolved = intentsDir.resolve(path).toAbsolutePath().normalize();
      if (!Files.isDirectory(resolved)) {
        throw new IllegalArgumentException("migrations folder '" + resolved + "' does not exist");
      }
      locations.add(FILESYSTEM + resolved);
    }
    return locations;
  }

  /** The folder of a location that {@link #resolve} returned. */
  static Path folder(String location) {
    return Path.of(location.substring(FILESYSTEM.length()));
  }
}
