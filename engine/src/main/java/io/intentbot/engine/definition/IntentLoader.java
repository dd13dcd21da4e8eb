package io.intentbot.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.engine.yaml.LocatedYaml;
import io.intentbot.engine.yaml.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads a folder of intents ({@code *.yaml}) and its library steps ({@code lib/*.yaml}). Every file
 * is checked against {@code intent.schema.json}, each step against its step type's {@code with:}
 * schema, and every expression against the parameters and earlier steps it may read. All problems
 * are collected, each with file, line and column; an intent with problems is left out of the
 * catalogue.
 *
 * <pre>{@code
 * IntentCatalog catalog = new IntentLoader(registry).load(Path.of("intents"));
 * catalog.problems().forEach(System.err::println);
 * }</pre>
 */
public final class IntentLoader {

  private static final String SCHEMA_RESOURCE = "intent.schema.json";
  private static final JsonNode INTENT_SCHEMA = readSchema();
  private static final Set<String> NOT_IN_LIBRARY =
      Set.of("risk", "read_only_if", "lock", "prereqs", "on_failure");

  private final StepTypeRegistry registry;
  private final Expressions expressions;
  private final SchemaCheck intentSchema = new SchemaCheck(INTENT_SCHEMA);
  private final Map<String, SchemaCheck> withSchemas = new HashMap<>();

  public IntentLoader(StepTypeRegistry registry) {
    this(registry, new Expressions());
  }

  public IntentLoader(StepTypeRegistry registry, Expressions expressions) {
    this.registry = registry;
    this.expressions = expressions;
  }

  /** The JSON Schema of intent files, as shipped in {@code intents/intent.schema.json}. */
  public static JsonNode intentSchema() {
    return INTENT_SCHEMA.deepCopy();
  }

  public IntentCatalog load(Path dir) {
    List<LoadProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(
          new LoadProblem(
              SourceLocation.unknown(dir.toString()),
              "intents folder does not exist: pass --intents DIR or set INTENTBOT_INTENTS"));
      return new IntentCatalog(dir, Map.of(), Map.of(), problems);
    }
    IntentFiles files = IntentFiles.in(dir);
    Map<String, String> libraryTexts = new TreeMap<>();
    Map<String, LibraryStep> library = new TreeMap<>();
    for (Path file : yamlFiles(dir.resolve("lib"))) {
      String text = files.read(file, problems);
      if (text == null) {
        continue;
      }
      String name = baseName(file);
      libraryTexts.put(name, text);
      LibraryStep lib = loadLibrary(text, dir.relativize(file).toString(), name, problems);
      if (lib != null) {
        library.put(name, lib);
      }
    }
    Map<String, IntentDefinition> intents = new TreeMap<>();
    for (Path file : yamlFiles(dir)) {
      String text = files.read(file, problems);
      if (text == null) {
        continue;
      }
      IntentDefinition intent =
          loadIntent(
              text,
              dir.relativize(file).toString(),
              baseName(file),
              library,
              libraryTexts,
              problems);
      if (intent != null) {
        intents.put(intent.name(), intent);
      }
    }
    return new IntentCatalog(dir, intents, library, problems);
  }

  private LibraryStep loadLibrary(String text, String file, String name, List<LoadProblem> out) {
    LocatedYaml yaml = parse(text, file, out);
    if (yaml == null) {
      return null;
    }
    Problems problems = new Problems(yaml);
    intentSchema.check(yaml.root(), "", "", problems);
    for (String key : NOT_IN_LIBRARY) {
      if (yaml.root().has(key)) {
        problems.add("/" + key, "'" + key + "' belongs in an intent, not in a library step");
      }
    }
    checkName(yaml, name, problems);
    if (problems.any()) {
      out.addAll(problems.list());
      return null;
    }
    IntentReader reader = new IntentReader(yaml, problems);
    List<ParameterDefinition> parameters = reader.parameters();
    List<StepDefinition> steps = reader.steps("steps");
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).uses() != null) {
        problems.add("/steps/" + i + "/uses", "a library step cannot use another library step");
      }
    }
    Map<String, String> outputs = reader.outputs();
    StepChecker checker = new StepChecker(registry, Map.of(), expressions, withSchemas);
    StepChecker.Scope scope = new StepChecker.Scope(names(parameters));
    checkDefaults(parameters, checker, scope, problems);
    checker.checkSteps(steps, "/steps", scope, yaml, problems);
    checker.checkTemplates(outputs, "/outputs", scope, problems);
    out.addAll(problems.list());
    if (problems.any()) {
      return null;
    }
    return new LibraryStep(
        name,
        IntentReader.text(yaml.root(), "description"),
        parameters,
        steps,
        outputs,
        file,
        sha256(text));
  }

  private IntentDefinition loadIntent(
      String text,
      String file,
      String name,
      Map<String, LibraryStep> library,
      Map<String, String> libraryTexts,
      List<LoadProblem> out) {
    LocatedYaml yaml = parse(text, file, out);
    if (yaml == null) {
      return null;
    }
    Problems problems = new Problems(yaml);
    intentSchema.check(yaml.root(), "", "", problems);
    checkName(yaml, name, problems);
    if (problems.any()) {
      out.addAll(problems.list());
      return null;
    }
    IntentReader reader = new IntentReader(yaml, problems);
    List<ParameterDefinition> parameters = reader.parameters();
    // Several environment parameters are allowed (restore-app's env and from_env): the first is
    // the run's own environment, and the run touches every one of them (approval, access rules).
    long apps = parameters.stream().filter(p -> p.type() == ParameterType.APP).count();
    if (apps > 1) {
      problems.add("/parameters", "an intent may have at most one app parameter");
    }
    List<StepDefinition> prereqs = reader.steps("prereqs");
    List<StepDefinition> steps = reader.steps("steps");
    List<StepDefinition> onFailure = reader.steps("on_failure");
    LockSpec lock = reader.lock();
    Map<String, String> outputs = reader.outputs();
    StepChecker checker = new StepChecker(registry, library, expressions, withSchemas);
    StepChecker.Scope scope = new StepChecker.Scope(names(parameters));
    checkDefaults(parameters, checker, scope, problems);
    if (lock != null) {
      checker.checkTemplates(
          lock.keyTemplate(),
          yaml.root().get("lock").isTextual() ? "/lock" : "/lock/key",
          scope,
          problems);
    }
    String readOnlyIf = IntentReader.text(yaml.root(), "read_only_if");
    if (readOnlyIf != null) {
      checker.checkTemplates(readOnlyIf, "/read_only_if", scope, problems);
    }
    checker.checkSteps(prereqs, "/prereqs", scope, yaml, problems);
    checker.checkSteps(steps, "/steps", scope, yaml, problems);
    checker.checkTemplates(outputs, "/outputs", scope, problems);
    checker.checkSteps(onFailure, "/on_failure", scope, yaml, problems);
    if (steps.isEmpty()) {
      problems.add("/steps", "an intent needs at least one step");
    }
    out.addAll(problems.list());
    if (problems.any()) {
      return null;
    }
    Risk risk = Risk.fromLabel(IntentReader.text(yaml.root(), "risk")).orElse(Risk.MUTATING);
    StringBuilder hashed = new StringBuilder(text);
    Stream.of(prereqs, steps, onFailure)
        .flatMap(List::stream)
        .map(StepDefinition::uses)
        .filter(u -> u != null)
        .distinct()
        .sorted()
        .forEach(
            u -> hashed.append("\n--- lib/").append(u).append('\n').append(libraryTexts.get(u)));
    return new IntentDefinition(
        name,
        IntentReader.text(yaml.root(), "description"),
        risk,
        IntentReader.text(yaml.root(), "read_only_if"),
        parameters,
        lock,
        prereqs,
        steps,
        onFailure,
        outputs,
        file,
        sha256(hashed.toString()));
  }

  private static void checkDefaults(
      List<ParameterDefinition> parameters,
      StepChecker checker,
      StepChecker.Scope scope,
      Problems problems) {
    for (ParameterDefinition p : parameters) {
      if (p.defaultExpression() != null) {
        checker.checkTemplates(
            p.defaultExpression(), "/parameters/" + p.name() + "/default", scope, problems);
      }
    }
  }

  private static void checkName(LocatedYaml yaml, String fileName, Problems problems) {
    String name = yaml.root().path("name").asText();
    if (!name.isEmpty() && !name.equals(fileName)) {
      problems.add("/name", "name '" + name + "' must equal the file name '" + fileName + "'");
    }
  }

  private static LocatedYaml parse(String text, String file, List<LoadProblem> out) {
    try {
      LocatedYaml yaml = LocatedYaml.parse(text, file);
      if (!yaml.root().isObject()) {
        out.add(
            new LoadProblem(
                SourceLocation.unknown(file),
                "expected a mapping with name:, parameters:, steps:"));
        return null;
      }
      return yaml;
    } catch (LocatedYaml.YamlSyntaxException e) {
      out.add(new LoadProblem(e.location(), e.getMessage()));
      return null;
    }
  }

  private static Set<String> names(List<ParameterDefinition> parameters) {
    Set<String> names = new java.util.LinkedHashSet<>();
    parameters.forEach(p -> names.add(p.name()));
    return names;
  }

  private static List<Path> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f ->
                  f.getFileName().toString().endsWith(".yaml")
                      || f.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.lastIndexOf('.'));
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readSchema() {
    try (InputStream in = IntentLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("intent.schema.json is missing from the engine jar");
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
