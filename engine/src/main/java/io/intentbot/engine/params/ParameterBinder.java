package io.intentbot.engine.params;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.model.InputProblem;
import io.intentbot.engine.text.Durations;
import io.intentbot.engine.text.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates {@code key=value} arguments against an intent's parameters and the config's whitelists.
 * Every problem gets one message naming the parameter, the value and what is allowed; all problems
 * are reported at once. Values are never interpreted by a shell: they are only ever handed on as
 * data.
 */
public final class ParameterBinder {

  /** Longest value accepted; longer ones are a mistake or an attack. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /**
   * The shortest value a {@code secret: true} parameter takes: shorter ones would be masked in
   * every word that contains them, or not at all.
   */
  public static final int MIN_SECRET_LENGTH = 6;

  private static final String MASK = "***";

  private final IntentbotConfig config;

  public ParameterBinder(IntentbotConfig config) {
    this.config = config;
  }

  public BindResult bind(IntentDefinition intent, List<String> arguments) {
    List<InputProblem> errors = new ArrayList<>();
    Map<String, String> given = new LinkedHashMap<>();
    for (String argument : arguments) {
      int eq = argument.indexOf('=');
      if (eq <= 0) {
        errors.add(
            InputProblem.general(
                InputProblem.Kind.NOT_KEY_VALUE,
                "'"
                    + shorten(argument)
                    + "' is not key=value; write for example "
                    + example(intent)
                    + " (`describe "
                    + intent.name()
                    + "` lists the parameters)"));
        continue;
      }
      String key = argument.substring(0, eq).trim();
      String value = argument.substring(eq + 1);
      if (given.containsKey(key)) {
        errors.add(
            InputProblem.of(
                InputProblem.Kind.GIVEN_TWICE,
                key,
                "parameter '" + key + "' is given twice; give it once"));
        continue;
      }
      given.put(key, value);
    }
    Set<String> declared = new HashSet<>();
    intent.parameters().forEach(p -> declared.add(p.name()));
    for (String key : given.keySet()) {
      if (!declared.contains(key)) {
        errors.add(
            new InputProblem(
                InputProblem.Kind.UNKNOWN_PARAMETER,
                key,
                closest(key, declared),
                "unknown parameter '"
                    + shorten(key)
                    + "' for "
                    + intent.name()
                    + Suggestions.didYouMean(key, declared)
                    + "; it takes: "
                    + String.join(
                        ", ",
                        intent.parameters().stream().map(ParameterDefinition::name).toList())));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> display = new LinkedHashMap<>();
    Set<String> secrets = new HashSet<>();
    for (ParameterDefinition parameter : intent.parameters()) {
      String raw = given.get(parameter.name());
      if (raw == null) {
        if (parameter.required()) {
          errors.add(
              InputProblem.of(
                  InputProblem.Kind.MISSING,
                  parameter.name(),
                  "missing required parameter '"
                      + parameter.name()
                      + "' ("
                      + allowed(parameter)
                      + ")"));
        } else {
          values.put(parameter.name(), parameter.defaultValue());
          if (parameter.defaultValue() != null) {
            display.put(parameter.name(), String.valueOf(parameter.defaultValue()));
          }
        }
        continue;
      }
      String error = check(parameter, raw);
      if (error != null) {
        errors.add(
            new InputProblem(
                InputProblem.Kind.INVALID_VALUE,
                parameter.name(),
                closest(raw.trim(), choices(parameter)),
                error));
        continue;
      }
      values.put(parameter.name(), convert(parameter, raw.trim()));
      if (parameter.secret()) {
        secrets.add(raw.trim());
        display.put(parameter.name(), MASK);
      } else {
        display.put(parameter.name(), raw.trim());
      }
    }
    if (!errors.isEmpty()) {
      return new BindResult(null, errors);
    }
    return new BindResult(new BoundParameters(values, display, secrets), List.of());
  }

  private String check(ParameterDefinition p, String raw) {
    String name = p.name();
    if (raw.length() > MAX_VALUE_LENGTH) {
      return "parameter '"
          + name
          + "' is "
          + raw.length()
          + " characters long; the limit is "
          + MAX_VALUE_LENGTH;
    }
    if (raw.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
      return "parameter '"
          + name
          + "' contains a control character (a line break?); give it on one line";
    }
    String value = raw.trim();
    String shown = p.secret() ? MASK : shorten(value);
    switch (p.type()) {
      case INTEGER -> {
        long number;
        try {
          number = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return "parameter '"
              + name
              + "' must be a whole number"
              + range(p)
              + ", got '"
              + shown
              + "'";
        }
        if ((p.min() != null && number < p.min()) || (p.max() != null && number > p.max())) {
          return "parameter '" + name + "' must be" + range(p) + ", got " + shown;
        }
      }
      case BOOLEAN -> {
        if (!value.equals("true") && !value.equals("false")) {
          return "parameter '" + name + "' must be true or false, got '" + shown + "'";
        }
      }
      case ENUM -> {
        if (!p.values().contains(value)) {
          return "parameter '"
              + name
              + "' must be one of "
              + String.join(", ", p.values())
              + "; got '"
              + shown
              + "'"
              + Suggestions.didYouMean(value, p.values());
        }
      }
      case DURATION -> {
        if (Durations.parse(value).isEmpty()) {
          return "parameter '"
              + name
              + "' must be a duration such as 30s, 5m or 1h, got '"
              + shown
              + "'";
        }
      }
      case APP -> {
        if (!config.apps().contains(value)) {
          return "parameter '"
              + name
              + "' must be one of the configured apps: "
              + listOrNone(config.apps())
              + "; got '"
              + shown
              + "'"
              + Suggestions.didYouMean(value, config.apps());
        }
      }
      case ENVIRONMENT -> {
        if (!config.environments().containsKey(value)) {
          return "parameter '"
              + name
              + "' must be one of the configured environments: "
              + listOrNone(config.environments().keySet())
              + "; got '"
              + shown
              + "'"
              + Suggestions.didYouMean(value, config.environments().keySet());
        }
      }
      case STRING -> {
        if (value.isEmpty() && p.required()) {
          return "parameter '" + name + "' must not be empty";
        }
      }
      default -> {}
    }
    if (p.pattern() != null && !value.matches(p.pattern())) {
      return "parameter '"
          + name
          + "' must match "
          + p.pattern()
          + (p.description() == null ? "" : " (" + p.description() + ")")
          + ", got '"
          + shown
          + "'";
    }
    if (p.secret() && value.equals(MASK)) {
      return null; // the preparer refuses the mask itself, naming it
    }
    if (p.secret() && value.length() < MIN_SECRET_LENGTH) {
      return "parameter '"
          + name
          + "' is too short to mask safely: a secret needs at least "
          + MIN_SECRET_LENGTH
          + " characters";
    }
    return null;
  }

  /** The values a parameter takes from a closed list (enum, app, environment), else none. */
  private List<String> choices(ParameterDefinition p) {
    return switch (p.type()) {
      case ENUM -> p.values();
      case APP -> config.apps();
      case ENVIRONMENT -> List.copyOf(config.environments().keySet());
      default -> List.of();
    };
  }

  /** The known name closest to {@code typed}, as {@link Suggestions#didYouMean} picks it. */
  private static List<String> closest(String typed, Collection<String> known) {
    String best = null;
    int bestScore = Integer.MAX_VALUE;
    for (String candidate : known) {
      int score = Suggestions.distance(typed, candidate);
      if (score < bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    return best != null && bestScore > 0 && bestScore <= Math.max(2, typed.length() / 3)
        ? List.of(best)
        : List.of();
  }

  private static Object convert(ParameterDefinition p, String value) {
    return switch (p.type()) {
      case INTEGER -> Long.parseLong(value);
      case BOOLEAN -> Boolean.parseBoolean(value);
      default -> value;
    };
  }

  /** What a parameter accepts, for messages and help. */
  public String allowed(ParameterDefinition p) {
    String base =
        switch (p.type()) {
          case APP -> "one of " + listOrNone(config.apps());
          case ENVIRONMENT -> "one of " + listOrNone(config.environments().keySet());
          case ENUM -> "one of " + String.join(", ", p.values());
          case INTEGER -> "a whole number" + range(p);
          case BOOLEAN -> "true or false";
          case DURATION -> "a duration such as 30s or 5m";
          case STRING -> p.pattern() == null ? "text" : "text matching " + p.pattern();
        };
    return p.description() == null ? base : p.description() + "; " + base;
  }

  private static String range(ParameterDefinition p) {
    if (p.min() != null && p.max() != null) {
      return " between " + p.min() + " and " + p.max();
    }
    if (p.min() != null) {
      return " of at least " + p.min();
    }
    if (p.max() != null) {
      return " of at most " + p.max();
    }
    return "";
  }

  private static String example(IntentDefinition intent) {
    return intent.parameters().isEmpty()
        ? "key=value"
        : intent.parameters().get(0).name() + "=VALUE";
  }

  private static String listOrNone(Collection<String> values) {
    return values.isEmpty() ? "(none configured)" : String.join(", ", values);
  }

  private static String shorten(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
