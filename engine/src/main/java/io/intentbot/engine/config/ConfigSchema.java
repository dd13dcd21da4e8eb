package io.intentbot.engine.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape a config value must have, so that every key in {@code intentbot.yaml} is known and
 * every value has the type its reader expects. Build one with the factory methods:
 *
 * <pre>{@code
 * ConfigSchema retry = ConfigSchema.fields()
 *     .key("attempts", ConfigSchema.integer())
 *     .key("backoff", ConfigSchema.duration());
 * }</pre>
 *
 * A mapping of {@link #fields() fields} refuses keys it does not declare, with a did-you-mean.
 * Scalars accept what {@code ${VAR}} expansion yields: {@code "3"} is an integer and {@code "true"}
 * a boolean.
 */
public sealed interface ConfigSchema {

  /** Any text (numbers and booleans are read as their text, as before). */
  static ConfigSchema string() {
    return Scalar.STRING;
  }

  /** {@code true} or {@code false}. */
  static ConfigSchema bool() {
    return Scalar.BOOLEAN;
  }

  /** A whole number. */
  static ConfigSchema integer() {
    return Scalar.INTEGER;
  }

  /** A whole number of at least 1 (a limit, a count). */
  static ConfigSchema count() {
    return Scalar.COUNT;
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}. */
  static ConfigSchema duration() {
    return Scalar.DURATION;
  }

  /** A list of texts; one text alone stands for a list of one. */
  static ConfigSchema strings() {
    return Scalar.STRINGS;
  }

  /** Anything at all; for values whose reader checks them itself. */
  static ConfigSchema any() {
    return Scalar.ANY;
  }

  /** A list whose items all have one shape. */
  static ConfigSchema listOf(ConfigSchema items) {
    return new ListOf(items);
  }

  /** A mapping from names the user chooses (environments, datasources) to values of one shape. */
  static ConfigSchema mapOf(ConfigSchema values) {
    return new MapOf(values);
  }

  /**
   * One of two shapes that differ in kind (e.g. {@code break_glass: true} or {@code break_glass: {
   * users: [...] }}): the value is checked against the one whose kind (mapping, list or scalar) it
   * has, so errors inside a mapping are still precise.
   */
  static ConfigSchema either(ConfigSchema first, ConfigSchema second) {
    return new Either(first, second);
  }

  /** A mapping of declared keys; add them with {@link Fields#key}. */
  static Fields fields() {
    return new Fields(Map.of(), Map.of(), false);
  }

  /** Scalar shapes. */
  enum Scalar implements ConfigSchema {
    STRING,
    BOOLEAN,
    INTEGER,
    COUNT,
    DURATION,
    STRINGS,
    ANY
  }

  /** {@code first} or {@code second}, told apart by the kind of the value. */
  record Either(ConfigSchema first, ConfigSchema second) implements ConfigSchema {}

  /** A list of {@code items}. */
  record ListOf(ConfigSchema items) implements ConfigSchema {}

  /** A mapping from free names to {@code values}. */
  record MapOf(ConfigSchema values) implements ConfigSchema {}

  /**
   * A mapping of declared keys. Immutable: {@link #key}, {@link #required} and {@link
   * #openToEnvironmentKeys} return a new schema.
   *
   * @param keys each declared key and its shape, in the order declared
   * @param required for each required key, what to write there (used in the error message)
   * @param open whether undeclared keys may stay, to be read by intents as {@code env.<key>} (only
   *     an environment's mapping is open; see {@link ConfigLoader})
   */
  record Fields(Map<String, ConfigSchema> keys, Map<String, String> required, boolean open)
      implements ConfigSchema {

    public Fields {
      keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
      required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    }

    /** With one more optional key; a key declared twice is a programming error. */
    public Fields key(String name, ConfigSchema shape) {
      if (keys.containsKey(name)) {
        throw new IllegalArgumentException("config key '" + name + "' is declared twice");
      }
      Map<String, ConfigSchema> more = new LinkedHashMap<>(keys);
      more.put(name, shape);
      return new Fields(more, required, open);
    }

    /** With one more key that must be present; {@code what} says what it holds. */
    public Fields required(String name, ConfigSchema shape, String what) {
      Fields with = key(name, shape);
      Map<String, String> more = new LinkedHashMap<>(required);
      more.put(name, what);
      return new Fields(with.keys, more, open);
    }

    /** With undeclared keys allowed when an intent reads them as {@code env.<key>}. */
    Fields openToEnvironmentKeys() {
      return new Fields(keys, required, true);
    }
  }
}
