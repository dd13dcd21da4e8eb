package io.intentbot.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.intentbot.engine.definition.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code intentbot.yaml}. {@code ${VAR}} and {@code ${VAR:-default}} in string values are
 * replaced from the process environment, so secrets stay out of the file; a datasource's {@code
 * password_env} names the variable holding its password.
 */
public final class ConfigLoader {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final Set<String> ENVIRONMENT_KEYS =
      Set.of("namespace", "protected", "approval", "kube_context", "break_glass", "impersonate");
  private static final Set<String> APPROVAL_KEYS =
      Set.of("approvers", "groups", "required", "self_approval", "expires_after");

  private final UnaryOperator<String> environment;

  public ConfigLoader() {
    this(System::getenv);
  }

  /** With a given lookup for environment variables (tests). */
  public ConfigLoader(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  public IntentbotConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "config file " + file + " does not exist: pass --config FILE or set INTENTBOT_CONFIG");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  @SuppressWarnings("unchecked")
  public IntentbotConfig parse(String yaml, String source) {
    Object tree;
    try {
      tree = new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + ": not valid YAML: " + e.getOriginalMessage() + location(e), e);
    }
    if (tree == null) {
      tree = Map.of();
    }
    if (!(tree instanceof Map<?, ?>)) {
      throw new ConfigException(
          source + ": the top level must be a mapping (apps:, environments:)");
    }
    Map<String, Object> root = (Map<String, Object>) expand(tree);
    List<String> apps = stringList(root.get("apps"), source, "apps");
    Map<String, EnvironmentConfig> environments = new LinkedHashMap<>();
    mapping(root.get("environments"), source, "environments")
        .forEach((name, value) -> environments.put(name, environment(name, value, source)));
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    mapping(root.get("datasources"), source, "datasources")
        .forEach((name, value) -> datasources.put(name, datasource(name, value, source)));
    Map<String, IntentbotConfig.UserMapping> users = new LinkedHashMap<>();
    mapping(root.get("users"), source, "users")
        .forEach(
            (id, value) -> {
              Map<String, Object> user = mapping(value, source, "users." + id);
              users.put(
                  id,
                  new IntentbotConfig.UserMapping(
                      stringOrNull(user.get("kubernetes_user")),
                      stringList(user.get("kubernetes_groups"), source, "users." + id)));
            });
    return new IntentbotConfig(apps, environments, datasources, users, root);
  }

  private EnvironmentConfig environment(String name, Object value, String source) {
    String where = "environments." + name;
    Map<String, Object> env = mapping(value, source, where);
    Map<String, Object> extra = new LinkedHashMap<>();
    env.forEach(
        (k, v) -> {
          if (!ENVIRONMENT_KEYS.contains(k)) {
            extra.put(k, v);
          }
        });
    ApprovalPolicy approval = ApprovalPolicy.DEFAULT;
    if (env.get("approval") != null) {
      approval = approval(mapping(env.get("approval"), source, where + ".approval"), source, where);
    }
    return new EnvironmentConfig(
        name,
        stringOrNull(env.get("namespace")),
        bool(env.get("protected"), source, where + ".protected"),
        approval,
        stringOrNull(env.get("kube_context")),
        bool(env.get("break_glass"), source, where + ".break_glass"),
        bool(env.get("impersonate"), source, where + ".impersonate"),
        extra);
  }

  private ApprovalPolicy approval(Map<String, Object> map, String source, String where) {
    for (String key : map.keySet()) {
      if (!APPROVAL_KEYS.contains(key)) {
        throw new ConfigException(
            source
                + ": unknown key '"
                + where
                + ".approval."
                + key
                + "'; expected one of "
                + String.join(", ", new java.util.TreeSet<>(APPROVAL_KEYS)));
      }
    }
    int required = 1;
    if (map.get("required") != null) {
      try {
        required = Integer.parseInt(String.valueOf(map.get("required")).trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(
            source
                + ": "
                + where
                + ".approval.required must be a whole number, got '"
                + map.get("required")
                + "'");
      }
    }
    Duration expires = Duration.ofMinutes(30);
    if (map.get("expires_after") != null) {
      String text = String.valueOf(map.get("expires_after"));
      expires =
          Durations.parse(text)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          source
                              + ": "
                              + where
                              + ".approval.expires_after must be a duration"
                              + " such as 30m or 2h, got '"
                              + text
                              + "'"));
    }
    try {
      return new ApprovalPolicy(
          stringList(map.get("approvers"), source, where + ".approval.approvers"),
          stringList(map.get("groups"), source, where + ".approval.groups"),
          required,
          bool(map.get("self_approval"), source, where + ".approval.self_approval"),
          expires);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": " + where + ": " + e.getMessage());
    }
  }

  private DatasourceConfig datasource(String name, Object value, String source) {
    String where = "datasources." + name;
    Map<String, Object> ds = mapping(value, source, where);
    String url = stringOrNull(ds.get("url"));
    if (url == null || url.isBlank()) {
      throw new ConfigException(source + ": " + where + ".url is required (a JDBC URL)");
    }
    String password = stringOrNull(ds.get("password"));
    String passwordEnv = stringOrNull(ds.get("password_env"));
    if (passwordEnv != null) {
      password = environment.apply(passwordEnv);
    }
    return new DatasourceConfig(
        name, url, stringOrNull(ds.get("user")), password, stringOrNull(ds.get("migrations")));
  }

  private Object expand(Object value) {
    if (value instanceof String text) {
      return expandString(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), expand(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(expand(v)));
      return out;
    }
    return value;
  }

  private String expandString(String text) {
    if (text.contains("${{")) {
      return text;
    }
    Matcher matcher = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String found = environment.apply(matcher.group(1));
      if (found == null) {
        found = matcher.group(3) != null ? matcher.group(3) : "";
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(found));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object value, String source, String where) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ConfigException(source + ": '" + where + "' must be a mapping, got '" + value + "'");
  }

  private static List<String> stringList(Object value, String source, String where) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    if (value instanceof String s) {
      return List.of(s);
    }
    throw new ConfigException(source + ": '" + where + "' must be a list, got '" + value + "'");
  }

  private static boolean bool(Object value, String source, String where) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim();
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(
        source + ": '" + where + "' must be true or false, got '" + value + "'");
  }

  private static String stringOrNull(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
