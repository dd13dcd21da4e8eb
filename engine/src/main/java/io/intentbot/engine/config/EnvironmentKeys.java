package io.intentbot.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The free-form environment keys that intents read as {@code env.<key>} (or {@code env['key']}),
 * which an environment in config may therefore set besides the keys the engine reads itself. Found
 * by reading the expressions ({@code ${{ … }}}) of every intent and library file in the intents
 * folder, valid or not: a broken intent is reported as itself and does not also make the config
 * invalid, and the config can be checked before step types exist to load the catalogue.
 *
 * @param keys the keys read, sorted
 * @param all whether some expression reads {@code env} as a whole (then every key is read)
 * @param source where they were read, for messages: {@code intents folder 'intents'}
 */
public record EnvironmentKeys(Set<String> keys, boolean all, String source) {

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern DOTTED =
      Pattern.compile("(?<![\\w.$])env\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern INDEXED =
      Pattern.compile("(?<![\\w.$])env\\s*\\[\\s*['\"]([^'\"]+)['\"]\\s*]");
  private static final Pattern WHOLE = Pattern.compile("(?<![\\w.$])env\\b(?!\\s*[.\\[])");

  public EnvironmentKeys {
    keys = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(keys));
  }

  /** No key is read: every free-form environment key is an error. */
  public static final EnvironmentKeys NONE = new EnvironmentKeys(Set.of(), false, "");

  /** Exactly these keys are read (tests, tools without an intents folder). */
  public static EnvironmentKeys of(String... keys) {
    return new EnvironmentKeys(Set.of(keys), false, "the keys given");
  }

  /** The keys read by the {@code *.yaml} files in {@code dir} and {@code dir/lib}. */
  public static EnvironmentKeys readBy(Path dir) {
    Set<String> found = new TreeSet<>();
    boolean whole = false;
    for (Path file : yamlFiles(dir)) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      Matcher expression = EXPRESSION.matcher(text);
      while (expression.find()) {
        String body = expression.group(1);
        DOTTED.matcher(body).results().forEach(m -> found.add(m.group(1)));
        INDEXED.matcher(body).results().forEach(m -> found.add(m.group(1)));
        whole |= WHOLE.matcher(body).find();
      }
    }
    String source = "intents folder '" + dir + "'";
    if (!Files.isDirectory(dir)) {
      source += ", which does not exist";
    }
    return new EnvironmentKeys(found, whole, source);
  }

  /** Why {@code key} is not allowed, for the end of an "unknown key" message. */
  public String whyUnread(String key) {
    if (source.isEmpty()) {
      return "no intents folder was given to find readers of env." + key;
    }
    if (source.startsWith("intents folder")) {
      return "no intent in the " + source + " reads env." + key;
    }
    return "env." + key + " is not among " + source;
  }

  public boolean reads(String key) {
    return all || keys.contains(key);
  }

  private static Stream<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static java.util.List<Path> yamlFiles(Path dir) {
    return Stream.concat(list(dir), list(dir.resolve("lib")))
        .filter(Files::isRegularFile)
        .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
        .sorted()
        .toList();
  }
}
