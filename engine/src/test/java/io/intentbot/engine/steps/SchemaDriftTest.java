package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.steps.SchemaSnapshot.Column;
import io.intentbot.engine.steps.SchemaSnapshot.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaDriftTest {

  private static Table table(String name, Column... columns) {
    Map<String, Column> map = new LinkedHashMap<>();
    for (Column column : columns) {
      map.put(column.name(), column);
    }
    return new Table(name, map, List.of("id"));
  }

  private static SchemaSnapshot schema(Table... tables) {
    Map<String, Table> map = new LinkedHashMap<>();
    for (Table table : tables) {
      map.put(table.name(), table);
    }
    return new SchemaSnapshot(map);
  }

  private static final Column ID = new Column("id", "bigint", false);

  @Test
  void identicalSchemasHaveNoDrift() {
    SchemaSnapshot one = schema(table("users", ID, new Column("email", "text", false)));

    SchemaDrift drift = SchemaDrift.between(one, one);

    assertThat(drift.drift()).isFalse();
    assertThat(drift.summary()).isEqualTo("no drift");
    assertThat(drift.rows()).isEmpty();
    assertThat(drift.checkedTables()).isEqualTo(1);
  }

  @Test
  void theSummaryNamesAFewDifferencesAndCountsTheRest() {
    SchemaSnapshot expected =
        schema(
            table("a", ID),
            table("b", ID),
            table("c", ID),
            table("d", ID),
            table("e", ID),
            table("f", ID),
            table("g", ID),
            table("h", ID),
            table("i", ID),
            table("j", ID));

    SchemaDrift drift = SchemaDrift.between(expected, schema(table("z", ID)));

    assertThat(drift.count()).isEqualTo(11);
    assertThat(drift.missingTables()).hasSize(10).startsWith("a", "b");
    assertThat(drift.extraTables()).containsExactly("z");
    assertThat(drift.summary())
        .startsWith("missing table a; missing table b;")
        .endsWith("missing table h; and 3 more");
    assertThat(drift.outputs()).containsEntry("checked_tables", 11).containsEntry("drift", true);
  }
}
