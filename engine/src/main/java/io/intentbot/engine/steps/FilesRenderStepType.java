package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code type: files.render}: copies a template folder shipped with the intents into a new folder,
 * filling {@code {{name}}} placeholders in file contents and paths. No network, no shell.
 *
 * <pre>
 * - id: scaffold
 *   type: files.render
 *   with:
 *     template: templates/nextjs          # relative to the intents folder
 *     target: /srv/apps/shop              # relative: to the bot's working directory
 *     values: { name: shop, port: 3000 }
 *     overwrite: false                    # default: refuse a folder that has files
 * </pre>
 *
 * <p>Everything is rendered and checked before the first file is written: a placeholder without a
 * value, or a {@code .yaml}/{@code .yml}/{@code .json} file that no longer parses, fails the step
 * with nothing written. Outputs: {@code target} (absolute path), {@code files} (relative paths,
 * sorted), {@code count}.
 */
public final class FilesRenderStepType extends TypedStepType<FilesRenderStepType.Input> {

  public static final String NAME = "files.render";
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  /** The {@code with:} block. */
  record Input(String template, String target, Map<String, String> values, boolean overwrite) {
    Input {
      values = values == null ? Map.of() : values;
    }
  }

  public FilesRenderStepType() {
    super(
        NAME,
        "Copy a template folder into a new folder, filling {{name}} placeholders; YAML and"
            + " JSON must still parse",
        Input.class);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("target", "files", "count"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Job job = Job.from(input, context.intentsDir());
    Map<String, String> rendered = job.render();
    List<String> details = new ArrayList<>();
    rendered.keySet().forEach(path -> details.add("write " + path));
    return StepPlan.of(
        "would write "
            + rendered.size()
            + " file(s) from "
            + job.template()
            + " to "
            + job.target(),
        details);
  }

  /** The template folder: every file the step copies. */
  @Override
  protected List<Path> reads(Input input, StepContext context) {
    return List.of(Job.from(input, context.intentsDir()).template());
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Job job = Job.from(input, context.intentsDir());
    Map<String, String> rendered = job.render();
    try {
      for (Map.Entry<String, String> file : rendered.entrySet()) {
        Path path = job.target().resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        context.output().line("wrote " + file.getKey());
      }
    } catch (IOException e) {
      return StepResult.failed("cannot write into " + job.target() + ": " + e.getMessage());
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("target", job.target().toString());
    outputs.put("files", List.copyOf(rendered.keySet()));
    outputs.put("count", rendered.size());
    return StepResult.succeeded(outputs);
  }

  /** The validated {@code with:} block. */
  private record Job(Path template, Path target, Map<String, String> values, boolean overwrite) {

    static Job from(Input input, Path intentsDir) {
      Path template = intentsDir.resolve(input.template()).toAbsolutePath().normalize();
      if (!template.startsWith(intentsDir.toAbsolutePath().normalize())) {
        throw new IllegalArgumentException("'template' must be a folder inside the intents folder");
      }
      if (!Files.isDirectory(template)) {
        throw new IllegalArgumentException("template folder '" + template + "' does not exist");
      }
      Path target = Path.of(input.target()).toAbsolutePath().normalize();
      boolean overwrite = input.overwrite();
      if (!overwrite && Files.isDirectory(target) && hasFiles(target)) {
        throw new IllegalArgumentException(
            "target folder '" + target + "' already has files; choose another or set overwrite");
      }
      if (Files.exists(target) && !Files.isDirectory(target)) {
        throw new IllegalArgumentException("target '" + target + "' is a file, not a folder");
      }
      return new Job(template, target, new LinkedHashMap<>(input.values()), overwrite);
    }

    /** Relative target path to rendered content, sorted; checks everything first. */
    Map<String, String> render() {
      Map<String, String> out = new java.util.TreeMap<>();
      TreeSet<String> unknown = new TreeSet<>();
      List<Path> files;
      try (Stream<Path> walk = Files.walk(template)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + template, e);
      }
      for (Path file : files) {
        String relative = template.relativize(file).toString().replace('\\', '/');
        String path = fill(relative, unknown);
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new IllegalArgumentException("template file " + relative + " is not UTF-8 text");
        }
        out.put(path, fill(text, unknown));
      }
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "template "
                + template.getFileName()
                + " needs values for "
                + String.join(", ", unknown));
      }
      for (Map.Entry<String, String> file : out.entrySet()) {
        String name = file.getKey();
        Path resolved = target.resolve(name).normalize();
        if (!resolved.startsWith(target)) {
          throw new IllegalArgumentException(
              "rendered path '" + name + "' leaves the target folder");
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          Manifests.documents(file.getValue(), name);
        } else if (name.endsWith(".json")) {
          Manifests.json(file.getValue(), name);
        }
      }
      return out;
    }

    private String fill(String text, TreeSet<String> unknown) {
      Matcher m = PLACEHOLDER.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = values.get(m.group(1));
        if (value == null) {
          unknown.add(m.group(1));
          value = m.group();
        }
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }

    private static boolean hasFiles(Path dir) {
      try (Stream<Path> list = Files.list(dir)) {
        return list.findAny().isPresent();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + dir, e);
      }
    }
  }
}
