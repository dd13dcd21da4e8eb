package io.intentbot.engine.steps;

import io.intentbot.engine.steps.SchemaSnapshot.Column;
import io.intentbot.engine.steps.SchemaSnapshot.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How a live schema differs from the schema its migrations build: tables and columns missing or
 * extra, columns whose type or nullability changed, primary keys that changed. Names are {@code
 * table} and {@code table.column}; "expected" is what the migrations build.
 */
record SchemaDrift(
    List<String> missingTables,
    List<String> extraTables,
    List<String> missingColumns,
    List<String> extraColumns,
    List<Change> changedColumns,
    List<Change> changedKeys,
    int checkedTables) {

  private static final int SUMMARY_ITEMS = 8;

  SchemaDrift {
    missingTables = List.copyOf(missingTables);
    extraTables = List.copyOf(extraTables);
    missingColumns = List.copyOf(missingColumns);
    extraColumns = List.copyOf(extraColumns);
    changedColumns = List.copyOf(changedColumns);
    changedKeys = List.copyOf(changedKeys);
  }

  /** A column or primary key that both sides have, differently. */
  record Change(String name, String expected, String live) {}

  static SchemaDrift between(SchemaSnapshot expected, SchemaSnapshot live) {
    List<String> missingTables = new ArrayList<>();
    List<String> extraTables = new ArrayList<>();
    List<String> missingColumns = new ArrayList<>();
    List<String> extraColumns = new ArrayList<>();
    List<Change> changedColumns = new ArrayList<>();
    List<Change> changedKeys = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(expected.tables().keySet());
    names.addAll(live.tables().keySet());
    for (String name : names) {
      Table want = expected.tables().get(name);
      Table have = live.tables().get(name);
      if (have == null) {
        missingTables.add(name);
      } else if (want == null) {
        extraTables.add(name);
      } else {
        for (Column column : want.columns().values()) {
          Column actual = have.columns().get(column.name());
          if (actual == null) {
            missingColumns.add(name + "." + column.name());
          } else if (!actual.equals(column)) {
            changedColumns.add(
                new Change(name + "." + column.name(), column.describe(), actual.describe()));
          }
        }
        have.columns().keySet().stream()
            .filter(c -> !want.columns().containsKey(c))
            .forEach(c -> extraColumns.add(name + "." + c));
        if (!want.primaryKey().equals(have.primaryKey())) {
          changedKeys.add(new Change(name, key(want), key(have)));
        }
      }
    }
    return new SchemaDrift(
        missingTables,
        extraTables,
        missingColumns,
        extraColumns,
        changedColumns,
        changedKeys,
        names.size());
  }

  boolean drift() {
    return count() > 0;
  }

  int count() {
    return missingTables.size()
        + extraTables.size()
        + missingColumns.size()
        + extraColumns.size()
        + changedColumns.size()
        + changedKeys.size();
  }

  /** The step outputs (lists of names; changes as maps with name, expected, live). */
  Map<String, Object> outputs() {
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("drift", drift());
    outputs.put("missing_tables", missingTables);
    outputs.put("extra_tables", extraTables);
    outputs.put("missing_columns", missingColumns);
    outputs.put("extra_columns", extraColumns);
    outputs.put("changed_columns", changes(changedColumns, "column"));
    outputs.put("changed_keys", changes(changedKeys, "table"));
    outputs.put("checked_tables", checkedTables);
    outputs.put("summary", summary());
    return outputs;
  }

  /** Every difference as one row: difference, name, migrations (what they build), live. */
  List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    missingTables.forEach(t -> rows.add(row("missing table", t, "table", "-")));
    extraTables.forEach(t -> rows.add(row("extra table", t, "-", "table")));
    missingColumns.forEach(c -> rows.add(row("missing column", c, "column", "-")));
    extraColumns.forEach(c -> rows.add(row("extra column", c, "-", "column")));
    changedColumns.forEach(c -> rows.add(row("changed column", c.name(), c.expected(), c.live())));
    changedKeys.forEach(
        c -> rows.add(row("changed primary key", c.name(), c.expected(), c.live())));
    return rows;
  }

  /** One line naming the differences, at most a few of them, e.g. for an assert message. */
  String summary() {
    if (!drift()) {
      return "no drift";
    }
    List<String> items = new ArrayList<>();
    for (Map<String, Object> row : rows()) {
      String what = row.get("difference") + " " + row.get("name");
      items.add(
          String.valueOf(row.get("difference")).startsWith("changed")
              ? what + " (migrations: " + row.get("migrations") + ", live: " + row.get("live") + ")"
              : what);
    }
    String shown = String.join("; ", items.subList(0, Math.min(SUMMARY_ITEMS, items.size())));
    return items.size() > SUMMARY_ITEMS
        ? shown + "; and " + (items.size() - SUMMARY_ITEMS) + " more"
        : shown;
  }

  private static Map<String, Object> row(
      String difference, String name, String expected, String live) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("difference", difference);
    row.put("name", name);
    row.put("migrations", expected);
    row.put("live", live);
    return row;
  }

  private static List<Map<String, Object>> changes(List<Change> changes, String nameKey) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Change change : changes) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put(nameKey, change.name());
      entry.put("expected", change.expected());
      entry.put("live", change.live());
      list.add(entry);
    }
    return list;
  }

  private static String key(Table table) {
    return table.primaryKey().isEmpty()
        ? "none"
        : "(" + String.join(", ", table.primaryKey()) + ")";
  }
}
