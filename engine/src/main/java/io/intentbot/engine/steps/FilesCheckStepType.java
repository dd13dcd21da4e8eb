package io.intentbot.engine.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code type: files.check}: read-only checks of a folder, for smoke tests of generated projects.
 *
 * <pre>
 * - id: smoke
 *   type: files.check
 *   with:
 *     dir: "${{ steps.scaffold.outputs.target }}"
 *     exist: [package.json, app/page.tsx]
 *     contains: { package.json: '"next"' }
 *     manifests: [k8s/app.yaml]             # each document: apiVersion, kind, metadata.name
 *     kinds: [Deployment, Service, Ingress]
 * </pre>
 *
 * <p>Every problem is collected and the step fails listing all of them. Outputs: {@code ok}, {@code
 * problems}, {@code objects} ({@code Kind/name} of every manifest document).
 */
public final class FilesCheckStepType extends TypedStepType<FilesCheckStepType.Input> {

  public static final String NAME = "files.check";

  /** The {@code with:} block. */
  record Input(
      String dir,
      List<String> exist,
      Map<String, String> contains,
      List<String> manifests,
      List<String> kinds) {
    Input {
      exist = exist == null ? List.of() : exist;
      contains = contains == null ? Map.of() : contains;
      manifests = manifests == null ? List.of() : manifests;
      kinds = kinds == null ? List.of() : kinds;
    }
  }

  public FilesCheckStepType() {
    super(
        NAME,
        "Check a folder: files exist, contain text, Kubernetes manifests parse with the"
            + " expected kinds",
        Input.class);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("ok", "problems", "objects"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    List<String> details = new ArrayList<>();
    input.exist().forEach(p -> details.add("exists: " + p));
    input.contains().forEach((p, t) -> details.add(p + " contains " + t));
    input.manifests().forEach(p -> details.add("valid manifests: " + p));
    if (!input.kinds().isEmpty()) {
      details.add("kinds present: " + String.join(", ", input.kinds()));
    }
    return StepPlan.of("would check the files in " + input.dir(), details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Path dir = Path.of(input.dir()).toAbsolutePath().normalize();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return StepResult.failed("folder '" + dir + "' does not exist");
    }
    for (String name : input.exist()) {
      Path file = dir.resolve(name);
      try {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
          problems.add(name + " is missing or empty");
        } else {
          context.output().line("ok: " + name);
        }
      } catch (IOException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    input
        .contains()
        .forEach(
            (name, text) -> {
              String content = read(dir.resolve(name), name, problems);
              if (content != null && !content.contains(text)) {
                problems.add(name + " does not contain " + text);
              } else if (content != null) {
                context.output().line("ok: " + name + " contains " + text);
              }
            });
    List<String> objects = new ArrayList<>();
    for (String name : input.manifests()) {
      String content = read(dir.resolve(name), name, problems);
      if (content == null) {
        continue;
      }
      try {
        for (JsonNode document : Manifests.documents(content, name)) {
          objects.add(Manifests.object(document, name));
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    objects.forEach(o -> context.output().line("manifest: " + o));
    Set<String> kinds = new LinkedHashSet<>();
    objects.forEach(o -> kinds.add(o.substring(0, o.indexOf('/'))));
    for (String kind : input.kinds()) {
      if (!kinds.contains(kind)) {
        problems.add("no " + kind + " among the manifests");
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("ok", problems.isEmpty());
    outputs.put("problems", problems);
    outputs.put("objects", objects);
    if (!problems.isEmpty()) {
      problems.forEach(p -> context.output().line("problem: " + p));
      return StepResult.failed(
          "checks of " + dir + " failed: " + String.join("; ", problems), outputs);
    }
    return StepResult.succeeded(outputs);
  }

  private static String read(Path file, String name, List<String> problems) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add(name + " cannot be read (" + e.getClass().getSimpleName() + ")");
      return null;
    }
  }
}
