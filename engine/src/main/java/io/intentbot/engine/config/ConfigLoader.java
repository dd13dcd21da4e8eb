package io.intentbot.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentbot.engine.text.Durations;
import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.engine.yaml.LocatedYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code intentbot.yaml} into an immutable {@link IntentbotConfig}, refusing anything it does
 * not know. Every problem is reported as {@code file:line:col: message}, all of them at once:
 *
 * <pre>{@code
 * IntentbotConfig config = new ConfigLoader(System::getenv)
 *     .intents(Path.of("intents"))          // which env.<key> the intents read
 *     .load(Path.of("config/intentbot.yaml")); // ConfigException listing every problem
 * ConfigResult result = loader.check(file);    // or: the problems, without throwing (lint)
 * }</pre>
 *
 * <h2>What is checked</h2>
 *
 * <ul>
 *   <li>Every key is declared, with a did-you-mean when it is not ({@code protectd} → {@code
 *       protected}, {@code enviroments} → {@code environments}). The core's keys ({@code apps},
 *       {@code environments}, {@code datasources}, {@code users}) are declared in {@code
 *       CoreSchema}; every other top-level key is a {@link ConfigSection} declared by the module
 *       that reads it and found on the class path ({@code kubernetes}, {@code velero}, {@code
 *       helm}, {@code pg_dump}, {@code slack}, {@code channels} today).
 *   <li>Every value has the type its reader expects (mapping, list, text, true/false, whole number,
 *       duration), and required keys are there ({@code datasources.*.url}).
 *   <li><b>Free-form environment keys.</b> Besides the keys the engine reads ({@code namespace},
 *       {@code protected}, {@code approval}, {@code kube_context}, {@code break_glass}, {@code
 *       impersonate}), an environment may hold keys that intents read as {@code env.<key>} ({@code
 *       registry}, {@code git_repo}, …), staying in the format other tools rely on. Such a key is
 *       allowed only when some intent or library step in the intents folder reads it ({@link
 *       EnvironmentKeys#readBy}); otherwise it is an unknown key like any other. That is what
 *       catches {@code protectd: true}: nobody reads {@code env.protectd}. Without {@link
 *       #intents(Path)} (or {@link #environmentKeys}) no free-form key is allowed. The intents
 *       folder's files are read as text, not loaded, so a broken intent still counts as a reader
 *       and the config can be checked before the step types that load intents exist.
 * </ul>
 *
 * <p>{@code ${VAR}} and {@code ${VAR:-default}} in string values are replaced from the process
 * environment before the check, so secrets stay out of the file; a datasource's {@code
 * password_env} names the variable holding its password.
 */
public final class ConfigLoader {

  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final UnaryOperator<String> environment;
  private final List<ConfigSection> sections;
  private final ConfigSchema.Fields schema;
  private final EnvironmentKeys environmentKeys;

  /** From the process environment, with every installed section; no free-form environment key. */
  public ConfigLoader() {
    this(System::getenv);
  }

  /** With a given lookup for environment variables (tests). */
  public ConfigLoader(UnaryOperator<String> environment) {
    this(environment, ConfigSection.installed(), EnvironmentKeys.NONE);
  }

  /**
   * @param environment looks up {@code ${VAR}} and {@code password_env} variables
   * @param sections the top-level sections other modules read
   * @param environmentKeys the free-form environment keys intents read
   */
  public ConfigLoader(
      UnaryOperator<String> environment,
      List<ConfigSection> sections,
      EnvironmentKeys environmentKeys) {
    this.environment = environment;
    this.sections = List.copyOf(sections);
    this.schema = CoreSchema.root(this.sections);
    this.environmentKeys = environmentKeys;
  }

  /** This loader, allowing the free-form environment keys that the intents in {@code dir} read. */
  public ConfigLoader intents(Path dir) {
    return environmentKeys(EnvironmentKeys.readBy(dir));
  }

  /** This loader, allowing exactly these free-form environment keys. */
  public ConfigLoader environmentKeys(EnvironmentKeys keys) {
    return new ConfigLoader(environment, sections, keys);
  }

  /** The sections this loader knows besides the core's keys. */
  public List<ConfigSection> sections() {
    return sections;
  }

  /** Reads and checks a file; throws a {@link ConfigException} naming every problem. */
  public IntentbotConfig load(Path file) {
    return check(file).orThrow();
  }

  /** Checks a document; throws a {@link ConfigException} naming every problem. */
  public IntentbotConfig parse(String yaml, String source) {
    return check(yaml, source).orThrow();
  }

  /**
   * Reads and checks a file, returning every problem instead of throwing; throws a {@link
   * ConfigException} only when the file cannot be read.
   */
  public ConfigResult check(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "config file " + file + " does not exist: pass --config FILE or set INTENTBOT_CONFIG");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return check(text, file.toString());
  }

  /** Checks a document named {@code source} in messages, returning every problem. */
  public ConfigResult check(String yaml, String source) {
    LocatedYaml located;
    try {
      located = LocatedYaml.parse(yaml, source);
    } catch (LocatedYaml.YamlSyntaxException e) {
      return new ConfigResult(
          IntentbotConfig.empty(), List.of(new LoadProblem(e.location(), e.getMessage())));
    }
    JsonNode root = located.root();
    if (root.isMissingNode() || root.isNull()) {
      root = NODES.objectNode();
    }
    if (!root.isObject()) {
      return new ConfigResult(
          IntentbotConfig.empty(),
          List.of(
              new LoadProblem(
                  located.locate(""), "the top level must be a mapping (apps:, environments:)")));
    }
    JsonNode tree = expand(root);
    SchemaWalk walk = new SchemaWalk(located, environmentKeys);
    walk.check(tree, schema, "", "");
    walk.wrong().forEach(pointer -> leaveOut(tree, pointer));
    IntentbotConfig config = bind(tree, walk);
    return new ConfigResult(config, walk.problems());
  }

  /** Removes a value found wrong, so the bound config has the default there. */
  private static void leaveOut(JsonNode tree, String pointer) {
    int slash = pointer.lastIndexOf('/');
    if (slash < 0) {
      return;
    }
    JsonNode parent = tree.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    if (parent instanceof ObjectNode object) {
      object.remove(last);
    } else if (parent instanceof ArrayNode array && last.matches("\\d+")) {
      array.set(Integer.parseInt(last), NODES.nullNode());
    }
  }

  private IntentbotConfig bind(JsonNode root, SchemaWalk walk) {
    Map<String, EnvironmentConfig> environments = new LinkedHashMap<>();
    root.path("environments")
        .properties()
        .forEach(e -> environments.put(e.getKey(), environment(e.getKey(), e.getValue(), walk)));
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    root.path("datasources")
        .properties()
        .forEach(e -> datasources.put(e.getKey(), datasource(e.getKey(), e.getValue(), walk)));
    datasources
        .values()
        .forEach(
            ds -> {
              if (ds.environment() != null && !environments.containsKey(ds.environment())) {
                walk.add(
                    "/datasources/" + SchemaWalk.escape(ds.name()) + "/environment",
                    "datasources."
                        + ds.name()
                        + ".environment: no environment '"
                        + ds.environment()
                        + "'; environments are: "
                        + String.join(", ", environments.keySet()));
              }
            });
    Map<String, IntentbotConfig.UserMapping> users = new LinkedHashMap<>();
    root.path("users")
        .properties()
        .forEach(
            e ->
                users.put(
                    e.getKey(),
                    new IntentbotConfig.UserMapping(
                        text(e.getValue().path("kubernetes_user")),
                        strings(e.getValue().path("kubernetes_groups")))));
    @SuppressWarnings("unchecked")
    Map<String, Object> raw = (Map<String, Object>) toJava(root);
    AccessConfig access = AccessBinding.bind(root, environments.keySet(), walk);
    return new IntentbotConfig(
        strings(root.path("apps")), environments, datasources, users, raw, access);
  }

  private EnvironmentConfig environment(String name, JsonNode env, SchemaWalk walk) {
    String pointer = "/environments/" + SchemaWalk.escape(name);
    Map<String, Object> extra = new LinkedHashMap<>();
    env.properties()
        .forEach(
            e -> {
              if (!CoreSchema.ENVIRONMENT.keys().containsKey(e.getKey())) {
                extra.put(e.getKey(), toJava(e.getValue()));
              }
            });
    ApprovalPolicy approval = ApprovalPolicy.DEFAULT;
    JsonNode node = env.path("approval");
    if (node.isObject()) {
      try {
        approval =
            new ApprovalPolicy(
                strings(node.path("approvers")),
                strings(node.path("groups")),
                integer(node.path("required"), 1),
                bool(node.path("self_approval")),
                duration(node.path("expires_after"), Duration.ofMinutes(30)),
                AccessBinding.approvalSources(node.path("from"), pointer + "/approval/from", walk));
      } catch (IllegalArgumentException e) {
        walk.add(pointer + "/approval", "environments." + name + ": " + e.getMessage());
      }
    }
    return new EnvironmentConfig(
        name,
        text(env.path("namespace")),
        bool(env.path("protected")),
        approval,
        text(env.path("kube_context")),
        bool(env.path("break_glass")) || env.path("break_glass").isObject(),
        bool(env.path("impersonate")),
        extra,
        AccessBinding.breakGlass(env.path("break_glass")),
        AccessBinding.freeze(
            env.path("freeze"), pointer + "/freeze", "environments." + name, walk));
  }

  private DatasourceConfig datasource(String name, JsonNode ds, SchemaWalk walk) {
    String password = text(ds.path("password"));
    String passwordEnv = text(ds.path("password_env"));
    if (passwordEnv != null) {
      password = environment.apply(passwordEnv);
    }
    return new DatasourceConfig(
        name,
        text(ds.path("url")),
        text(ds.path("user")),
        password,
        text(ds.path("migrations")),
        text(ds.path("environment")));
  }

  private JsonNode expand(JsonNode node) {
    if (node.isTextual()) {
      return NODES.textNode(expandString(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      node.properties().forEach(e -> out.set(e.getKey(), expand(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(v -> out.add(expand(v)));
      return out;
    }
    return node;
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

  /**
   * The tree as plain, unmodifiable Java values, as readers of {@link IntentbotConfig#raw()} see
   * it.
   */
  private static Object toJava(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      node.properties().forEach(e -> out.put(e.getKey(), toJava(e.getValue())));
      return Collections.unmodifiableMap(out);
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(v -> out.add(toJava(v)));
      return Collections.unmodifiableList(out);
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asText();
  }

  // The readers below run after the schema check: they never fail, and take the default where
  // the check has already reported a problem.

  static String text(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  static List<String> strings(JsonNode node) {
    if (node.isArray()) {
      List<String> out = new ArrayList<>();
      node.forEach(v -> out.add(v.isNull() ? "null" : v.asText()));
      return out;
    }
    String single = text(node);
    return single == null ? List.of() : List.of(single);
  }

  private static boolean bool(JsonNode node) {
    return node.isBoolean() ? node.booleanValue() : "true".equals(node.asText().trim());
  }

  private static int integer(JsonNode node, int fallback) {
    if (node.isIntegralNumber()) {
      return node.intValue();
    }
    try {
      return text(node) == null ? fallback : Integer.parseInt(node.asText().trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Duration duration(JsonNode node, Duration fallback) {
    String text = text(node);
    return text == null ? fallback : Durations.parse(text).orElse(fallback);
  }
}
