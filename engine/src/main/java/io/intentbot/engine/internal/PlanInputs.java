package io.intentbot.engine.internal;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.LibraryStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a plan was computed from, one SHA-256 digest per input: the intent file (with the library
 * steps it uses), each library step, each parameter as shown, the config of every environment and
 * datasource the run touches, and every file a step will read (a migration script, a template). The
 * plan hash is one digest over all of them, so an approval given on a plan binds each one; {@link
 * #changesSince} says which changed, in words people read ("migrations/web/V3__add.sql added",
 * "datasource web-production changed").
 *
 * <p>Datasource passwords are left out (a stored digest of a password would be a way to guess it);
 * everything else of a datasource's config counts.
 */
final class PlanInputs {

  static final String INTENT = "intent ";
  static final String LIBRARY = "library ";
  static final String PARAMETER = "parameter ";
  static final String ENVIRONMENT = "environment ";
  static final String DATASOURCE = "datasource ";
  static final String FILE = "file ";

  private final SortedMap<String, String> digests;
  private final Set<String> readRoots;

  PlanInputs(Map<String, String> digests) {
    this(digests, Set.of());
  }

  private PlanInputs(Map<String, String> digests, Set<String> readRoots) {
    this.digests = Collections.unmodifiableSortedMap(new TreeMap<>(digests));
    this.readRoots = Set.copyOf(readRoots);
  }

  /** Input name (kind and what, e.g. {@code file migrations/web/V1__init.sql}) to its digest. */
  Map<String, String> digests() {
    return digests;
  }

  /** The plan hash: SHA-256 over every input's name and digest, in name order. */
  String hash() {
    StringBuilder canonical = new StringBuilder("plan-inputs/v2\n");
    digests.forEach(
        (name, digest) -> canonical.append(name).append('=').append(digest).append('\n'));
    return sha256(canonical.toString());
  }

  /**
   * What differs from {@code earlier} (the inputs of the plan that was shown), one sentence each,
   * in name order: "intent deploy-app.yaml changed", "migrations/web/V3__add.sql added",
   * "datasource web-production changed".
   */
  List<String> changesSince(Map<String, String> earlier) {
    SortedMap<String, String> before = new TreeMap<>(earlier);
    List<String> changes = new ArrayList<>();
    TreeMap<String, Boolean> names = new TreeMap<>();
    before.keySet().forEach(n -> names.put(n, true));
    digests.keySet().forEach(n -> names.put(n, true));
    for (String name : names.keySet()) {
      String was = before.get(name);
      String now = digests.get(name);
      if (was != null && was.equals(now)) {
        continue;
      }
      String what = name.startsWith(FILE) ? name.substring(FILE.length()) : name;
      changes.add(what + (was == null ? " added" : now == null ? " removed" : " changed"));
    }
    return changes;
  }

  /**
   * What changed under {@code reads} (files or folders a step is about to read) since these inputs
   * were taken, when the plan bound them: checked again just before the step runs, so a file added
   * between the approval and the step is not used either. Folders the plan did not bind (known only
   * once an earlier step ran) are not compared.
   *
   * @param intentsDir the intents folder, as when the plan was made
   */
  List<String> filesChangedSince(List<Path> reads, Path intentsDir) {
    Builder now = new Builder(intentsDir);
    Map<String, String> before = new TreeMap<>();
    for (Path read : reads) {
      String root = now.shown(read.toAbsolutePath().normalize());
      if (!readRoots.contains(root)) {
        continue;
      }
      now.read(read);
      digests.forEach(
          (name, digest) -> {
            if (name.equals(FILE + root) || name.startsWith(FILE + root + "/")) {
              before.put(name, digest);
            }
          });
    }
    return now.build().changesSince(before);
  }

  static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects the inputs while a run is planned; the first name given for an input wins. */
  static final class Builder {

    private final Path intentsDir;
    private final Map<String, String> digests = new TreeMap<>();
    private final Set<String> roots = new java.util.HashSet<>();

    Builder(Path intentsDir) {
      this.intentsDir = intentsDir.toAbsolutePath().normalize();
    }

    Builder intent(IntentDefinition intent) {
      digests.put(INTENT + intent.source(), intent.sourceHash());
      return this;
    }

    Builder library(LibraryStep library) {
      digests.put(LIBRARY + library.source(), library.sourceHash());
      return this;
    }

    Builder parameters(Map<String, String> shown) {
      shown.forEach((name, value) -> digests.put(PARAMETER + name, sha256(String.valueOf(value))));
      return this;
    }

    Builder environment(EnvironmentConfig environment) {
      digests.put(ENVIRONMENT + environment.name(), sha256(canonical(environment)));
      return this;
    }

    Builder datasource(DatasourceConfig datasource) {
      digests.put(DATASOURCE + datasource.name(), sha256(canonical(datasource)));
      return this;
    }

    /**
     * A file a step will read, or a folder: every regular file under it, each by its own name.
     *
     * @throws UncheckedIOException when it cannot be read: the plan is then incomplete
     */
    Builder read(Path path) {
      Path absolute = path.toAbsolutePath().normalize();
      roots.add(shown(absolute));
      if (Files.isDirectory(absolute)) {
        try (Stream<Path> files = Files.walk(absolute)) {
          for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
            file(file);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + shown(absolute), e);
        }
      } else {
        file(absolute);
      }
      return this;
    }

    private void file(Path file) {
      try {
        digests.put(FILE + shown(file), sha256(Files.readAllBytes(file)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + shown(file), e);
      }
    }

    /** Relative to the intents folder where it is inside it, else absolute; always with '/'. */
    private String shown(Path file) {
      Path name = file.startsWith(intentsDir) ? intentsDir.relativize(file) : file;
      return name.toString().replace('\\', '/');
    }

    PlanInputs build() {
      return new PlanInputs(digests, roots);
    }
  }

  /** A config record as {@code name=value} lines of its components; passwords left out. */
  private static String canonical(Record config) {
    StringBuilder out = new StringBuilder(config.getClass().getSimpleName()).append('\n');
    for (RecordComponent component : config.getClass().getRecordComponents()) {
      if (component.getName().toLowerCase(java.util.Locale.ROOT).contains("password")) {
        continue;
      }
      Object value;
      try {
        value = component.getAccessor().invoke(config);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component, e);
      }
      out.append(component.getName()).append('=').append(value).append('\n');
    }
    return out.toString();
  }
}
