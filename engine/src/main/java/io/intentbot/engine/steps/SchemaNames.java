package io.intentbot.engine.steps;

import java.util.regex.Pattern;

/**
 * The {@code schema:} input of the database step types: a plain SQL name, used as written (quoted,
 * so case matters), never spliced into SQL text.
 */
final class SchemaNames {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SchemaNames() {}

  /** The name, trimmed; null when absent; IllegalArgumentException when not a plain name. */
  static String check(String schema) {
    if (schema == null) {
      return null;
    }
    String name = schema.trim();
    if (!PLAIN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'schema' must be a plain SQL name (letters, digits and _, not starting with a digit, at"
              + " most 63 characters), got '"
              + schema
              + "'");
    }
    return name;
  }

  /** "datasource 'x'", or "schema 's' of datasource 'x'": where a step's SQL runs. */
  static String where(String datasource, String schema) {
    return (schema == null ? "" : "schema '" + schema + "' of ")
        + "datasource '"
        + datasource
        + "'";
  }
}
