package io.intentbot.engine.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;

/**
 * The SQL migrations of a class path location as the location's index ({@value #INDEX}, one file
 * name a line) lists them, so that Flyway finds them without scanning the class path: in the shaded
 * jar (~33,000 entries) each scan walked every entry, once per migration run, three runs per {@code
 * serve} start. Each resource is the one Flyway's scanner would have made (same path, content and
 * so checksum). A location without an index is scanned as before.
 */
final class IndexedMigrations implements ResourceProvider {

  /** The index's file name inside the location. */
  static final String INDEX = "migrations.list";

  private final List<LoadableResource> resources;

  private IndexedMigrations(List<LoadableResource> resources) {
    this.resources = List.copyOf(resources);
  }

  /**
   * {@code configuration} reading the SQL migrations of {@code locations} (one {@code classpath:}
   * location with an index) from the index, and no Java migrations; else unchanged, to scan.
   */
  static FluentConfiguration apply(FluentConfiguration configuration, String locations) {
    at(locations, configuration.getClassLoader())
        .ifPresent(
            index -> configuration.resourceProvider(index).javaMigrationClassProvider(List::of));
    return configuration;
  }

  /** The index of the {@code classpath:} location {@code locations}, if it has one. */
  static Optional<IndexedMigrations> at(String locations, ClassLoader loader) {
    if (locations.contains(",") || !locations.startsWith("classpath:")) {
      return Optional.empty();
    }
    String path = locations.substring("classpath:".length()).replaceAll("^/+|/+$", "");
    Location location = Location.fromPath("classpath:", path);
    InputStream in = loader.getResourceAsStream(path + "/" + INDEX);
    if (in == null) {
      return Optional.empty();
    }
    List<LoadableResource> resources = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String name = line.strip();
        if (name.isEmpty() || name.startsWith("#")) {
          continue;
        }
        ClassPathResource resource =
            new ClassPathResource(location, path + "/" + name, loader, StandardCharsets.UTF_8);
        if (!resource.exists()) {
          throw new IllegalStateException(
              path + "/" + INDEX + " lists " + name + ", which is not on the class path");
        }
        resources.add(resource);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(new IndexedMigrations(resources));
  }

  /** The file names listed, in order. */
  List<String> names() {
    return resources.stream().map(LoadableResource::getFilename).toList();
  }

  @Override
  public LoadableResource getResource(String name) {
    return resources.stream()
        .filter(r -> r.getRelativePath().equals(name) || r.getAbsolutePath().equals(name))
        .findFirst()
        .orElse(null);
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> found = new ArrayList<>();
    for (LoadableResource resource : resources) {
      String file = resource.getFilename();
      if (file.startsWith(prefix)) {
        for (String suffix : suffixes) {
          if (file.endsWith(suffix)) {
            found.add(resource);
            break;
          }
        }
      }
    }
    return found;
  }
}
