package io.intentbot.engine.steps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables, columns (normalised type, nullability) and primary keys of one schema, read from
 * {@code information_schema} (as H2 2.x and PostgreSQL have it). Names are lower-cased; Flyway's
 * history table and the ignored tables are left out.
 */
record SchemaSnapshot(Map<String, Table> tables) {

  static final String HISTORY = "flyway_schema_history";

  SchemaSnapshot {
    tables = Collections.unmodifiableMap(new TreeMap<>(tables));
  }

  /** One table: its columns in declaration order and its primary key columns in key order. */
  record Table(String name, Map<String, Column> columns, List<String> primaryKey) {
    Table {
      columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
      primaryKey = List.copyOf(primaryKey);
    }
  }

  /** One column: a normalised type such as {@code character varying(200)}, and nullability. */
  record Column(String name, String type, boolean nullable) {
    String describe() {
      return type + (nullable ? "" : " not null");
    }
  }

  /** Every table and column as {@code table.column}, in table order. */
  List<String> columnNames() {
    List<String> names = new ArrayList<>();
    tables.values().forEach(t -> t.columns().keySet().forEach(c -> names.add(t.name() + "." + c)));
    return names;
  }

  static SchemaSnapshot read(Connection connection, String schema, Set<String> ignored)
      throws SQLException {
    boolean postgres = connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
    Map<String, Map<String, Column>> columns = new TreeMap<>();
    try (PreparedStatement tables =
        connection.prepareStatement(
            "select table_name from information_schema.tables where table_schema = ?"
                + " and table_type in ('BASE TABLE', 'TABLE')")) {
      tables.setString(1, schema);
      try (ResultSet rs = tables.executeQuery()) {
        while (rs.next()) {
          String table = lower(rs.getString(1));
          if (!table.equals(HISTORY) && !ignored.contains(table)) {
            columns.put(table, new LinkedHashMap<>());
          }
        }
      }
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "select table_name, column_name, data_type, is_nullable, character_maximum_length,"
                + " numeric_precision, numeric_scale"
                + (postgres ? ", udt_name" : "")
                + " from information_schema.columns where table_schema = ?"
                + " order by table_name, ordinal_position")) {
      query.setString(1, schema);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          Map<String, Column> table = columns.get(lower(rs.getString(1)));
          if (table != null) {
            String name = lower(rs.getString(2));
            table.put(name, new Column(name, type(rs, postgres), "YES".equals(rs.getString(4))));
          }
        }
      }
    }
    Map<String, List<String>> keys = primaryKeys(connection, schema);
    Map<String, Table> result = new TreeMap<>();
    columns.forEach(
        (name, cols) ->
            result.put(name, new Table(name, cols, keys.getOrDefault(name, List.of()))));
    return new SchemaSnapshot(result);
  }

  private static Map<String, List<String>> primaryKeys(Connection connection, String schema)
      throws SQLException {
    Map<String, List<String>> keys = new TreeMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "select tc.table_name, kcu.column_name from information_schema.table_constraints tc"
                + " join information_schema.key_column_usage kcu"
                + " on kcu.constraint_name = tc.constraint_name"
                + " and kcu.constraint_schema = tc.constraint_schema"
                + " and kcu.table_name = tc.table_name"
                + " where tc.table_schema = ? and tc.constraint_type = 'PRIMARY KEY'"
                + " order by tc.table_name, kcu.ordinal_position")) {
      query.setString(1, schema);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          keys.computeIfAbsent(lower(rs.getString(1)), t -> new ArrayList<>())
              .add(lower(rs.getString(2)));
        }
      }
    }
    return keys;
  }

  /**
   * {@code data_type} lower-cased, with the length of character and binary types and the precision
   * and scale of decimals; PostgreSQL enums and arrays by their type name (without its schema,
   * which differs between the shadow and the live schema).
   */
  private static String type(ResultSet rs, boolean postgres) throws SQLException {
    String type = lower(rs.getString(3));
    if (postgres && type.equals("user-defined")) {
      return lower(rs.getString(8));
    }
    if (postgres && type.equals("array")) {
      String element = lower(rs.getString(8));
      return (element.startsWith("_") ? element.substring(1) : element) + "[]";
    }
    long length = rs.getLong(5);
    if (!rs.wasNull() && !type.contains("large object")) {
      return type + "(" + length + ")";
    }
    if (type.equals("numeric") || type.equals("decimal")) {
      long precision = rs.getLong(6);
      if (!rs.wasNull()) {
        long scale = rs.getLong(7);
        return type + "(" + precision + "," + (rs.wasNull() ? 0 : scale) + ")";
      }
    }
    return type;
  }

  private static String lower(String name) {
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }
}
