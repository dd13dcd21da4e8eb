package io.intentbot.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.expr.ExpressionException;
import io.intentbot.engine.expr.Expressions;
import io.intentbot.engine.expr.Reference;
import io.intentbot.engine.expr.Template;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.text.Suggestions;
import io.intentbot.engine.yaml.LocatedYaml;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what a schema cannot: step types exist and their {@code with:} fits their schema, library
 * steps exist and get their parameters, ids are unique, and every expression compiles and reads
 * only declared parameters, earlier steps' {@code status} and the outputs their types declare.
 */
final class StepChecker {

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Set<String> RUN_FIELDS = Set.of("id", "requester", "intent", "dry_run");
  private static final Set<String> STEP_FIELDS = Set.of("outputs", "status");

  private final StepTypeRegistry registry;
  private final Map<String, LibraryStep> library;
  private final Expressions expressions;
  private final Map<String, SchemaCheck> withSchemas;

  StepChecker(
      StepTypeRegistry registry,
      Map<String, LibraryStep> library,
      Expressions expressions,
      Map<String, SchemaCheck> withSchemas) {
    this.registry = registry;
    this.library = library;
    this.expressions = expressions;
    this.withSchemas = withSchemas;
  }

  /** What expressions in one scope (an intent or a library step) may read. */
  static final class Scope {
    final Set<String> parameters;
    final Map<String, StepDefinition> visibleSteps = new LinkedHashMap<>();

    Scope(Set<String> parameters) {
      this.parameters = parameters;
    }
  }

  /** Checks lists of steps in order; each sees the ones before it. */
  void checkSteps(
      List<StepDefinition> steps,
      String listPointer,
      Scope scope,
      LocatedYaml yaml,
      Problems problems) {
    for (int i = 0; i < steps.size(); i++) {
      StepDefinition step = steps.get(i);
      String pointer = listPointer + "/" + i;
      if (scope.visibleSteps.containsKey(step.id())) {
        problems.add(
            pointer + "/id",
            "step id '"
                + step.id()
                + "' is used twice (first at "
                + scope.visibleSteps.get(step.id()).location()
                + "); ids must be unique");
      }
      checkKind(step, pointer, yaml, problems);
      checkTemplates(step.with(), pointer + "/with", scope, problems);
      if (step.condition() != null) {
        checkExpressionText(step.condition(), pointer + "/if", scope, problems, true);
      }
      scope.visibleSteps.putIfAbsent(step.id(), step);
    }
  }

  private void checkKind(StepDefinition step, String pointer, LocatedYaml yaml, Problems problems) {
    if (step.type() != null) {
      StepType type = registry.find(step.type()).orElse(null);
      if (type == null) {
        problems.add(
            pointer + "/type",
            "unknown step type '"
                + step.type()
                + "'"
                + Suggestions.didYouMean(step.type(), registry.names())
                + "; `intentbot steps` lists them");
        return;
      }
      SchemaCheck schema =
          withSchemas.computeIfAbsent(type.name(), n -> new SchemaCheck(type.withSchema()));
      JsonNode with = yaml.root().at(pointer + "/with");
      if (with.isMissingNode()) {
        with = JSON.createObjectNode();
      }
      schema.check(with, pointer + "/with", "with: of " + type.name() + ": ", problems);
    } else if (step.uses() != null) {
      LibraryStep lib = library.get(step.uses());
      if (lib == null) {
        problems.add(
            pointer + "/uses",
            "library step 'lib/"
                + step.uses()
                + "' does not exist"
                + Suggestions.didYouMean(step.uses(), library.keySet())
                + "; library steps live in intents/lib/NAME.yaml");
        return;
      }
      Map<String, ParameterDefinition> params = new HashMap<>();
      lib.parameters().forEach(p -> params.put(p.name(), p));
      for (String key : step.with().keySet()) {
        if (!params.containsKey(key)) {
          problems.add(
              pointer + "/with/" + key,
              "lib/"
                  + lib.name()
                  + " has no parameter '"
                  + key
                  + "'; it takes: "
                  + String.join(", ", new TreeSet<>(params.keySet())));
        }
      }
      for (ParameterDefinition p : lib.parameters()) {
        if (p.required() && !step.with().containsKey(p.name())) {
          problems.add(
              pointer + "/with",
              "lib/" + lib.name() + " needs parameter '" + p.name() + "' in with:");
        }
      }
    }
  }

  /** Checks every string inside a value that may hold expressions. */
  void checkTemplates(Object value, String pointer, Scope scope, Problems problems) {
    if (value instanceof String text) {
      if (Template.containsExpression(text)) {
        checkExpressionText(text, pointer, scope, problems, false);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> checkTemplates(v, pointer + "/" + k, scope, problems));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        checkTemplates(list.get(i), pointer + "/" + i, scope, problems);
      }
    }
  }

  private void checkExpressionText(
      String text, String pointer, Scope scope, Problems problems, boolean bareAllowed) {
    List<String> sources;
    try {
      sources =
          Template.containsExpression(text) || !bareAllowed
              ? Template.parse(text).expressions()
              : List.of(text);
    } catch (ExpressionException e) {
      problems.add(pointer, e.getMessage());
      return;
    }
    for (String source : sources) {
      List<Reference> references;
      try {
        references = expressions.check(source);
      } catch (ExpressionException e) {
        problems.add(pointer, e.getMessage());
        continue;
      }
      for (Reference reference : references) {
        String problem = checkReference(reference, scope);
        if (problem != null) {
          problems.add(pointer, "expression '" + source + "': " + problem);
        }
      }
    }
  }

  private String checkReference(Reference reference, Scope scope) {
    List<String> path = reference.path();
    if (path.size() < 2) {
      return null;
    }
    String name = path.get(1);
    switch (reference.root()) {
      case "params" -> {
        return scope.parameters.contains(name)
            ? null
            : "unknown parameter '"
                + name
                + "'"
                + Suggestions.didYouMean(name, scope.parameters)
                + (scope.parameters.isEmpty()
                    ? ""
                    : "; parameters are: " + String.join(", ", new TreeSet<>(scope.parameters)));
      }
      case "steps" -> {
        StepDefinition step = scope.visibleSteps.get(name);
        if (step == null) {
          return "step '"
              + name
              + "' does not exist before this point (a step can read only"
              + " the outputs of steps before it)"
              + Suggestions.didYouMean(name, scope.visibleSteps.keySet());
        }
        if (path.size() >= 3 && !STEP_FIELDS.contains(path.get(2))) {
          return "write steps."
              + name
              + ".outputs.NAME or steps."
              + name
              + ".status, not steps."
              + name
              + "."
              + path.get(2);
        }
        if (path.size() >= 4 && path.get(2).equals("status")) {
          return "steps." + name + ".status is a string (not_run, skipped, succeeded, failed)";
        }
        if (path.size() >= 4) {
          Set<String> known = knownOutputs(step);
          if (known != null && !known.contains(path.get(3))) {
            return "step '"
                + name
                + "'"
                + (step.type() == null ? "" : " (" + step.type() + ")")
                + " has no output '"
                + path.get(3)
                + "'"
                + (known.isEmpty()
                    ? "; it has no outputs"
                    : "; it has: " + String.join(", ", new TreeSet<>(known)));
          }
        }
        return null;
      }
      case "run" -> {
        return RUN_FIELDS.contains(name)
            ? null
            : "run has no field '"
                + name
                + "'; it has: "
                + String.join(", ", new TreeSet<>(RUN_FIELDS));
      }
      default -> {
        return null;
      }
    }
  }

  /** Output names a step is known to produce, or null when its type does not declare them. */
  private Set<String> knownOutputs(StepDefinition step) {
    if ("set".equals(step.type())) {
      return step.with().keySet();
    }
    if (step.type() != null) {
      return registry.find(step.type()).flatMap(StepType::outputs).orElse(null);
    }
    if (step.uses() != null && library.containsKey(step.uses())) {
      return library.get(step.uses()).outputs().keySet();
    }
    return null;
  }
}
