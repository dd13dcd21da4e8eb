package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flyway.schema-diff on real H2 files, migrated by the real flyway step type. */
class FlywaySchemaDiffStepTypeTest {

  @TempDir Path dir;

  private Path intents;
  private String url;
  private IntentbotConfig config;
  private RecordingStepContext context;
  private FlywaySchemaDiffStepType diff;

  @BeforeEach
  void setUp() throws IOException {
    intents = Files.createDirectories(dir.resolve("intents"));
    Path migrations = Files.createDirectories(intents.resolve("db/app"));
    Files.writeString(
        migrations.resolve("V1__create_users.sql"),
        "create table users (id bigint primary key, email varchar(320) not null unique,"
            + " created_at timestamp default current_timestamp not null);\n");
    Files.writeString(
        migrations.resolve("V2__add_display_name.sql"),
        "alter table users add column display_name varchar(200);\n");
    Files.writeString(
        migrations.resolve("V3__orders.sql"),
        "create table orders (id bigint primary key, user_id bigint references users(id),"
            + " total decimal(10,2) not null);\n");
    Path pg = Files.createDirectories(intents.resolve("db/pg"));
    Files.writeString(
        pg.resolve("V1__serial.sql"),
        "create table notes (id serial primary key, body text not null);\n");
    url = "jdbc:h2:file:" + dir.resolve("data/app") + ";AUTO_SERVER=TRUE";
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    datasources.put("app", new DatasourceConfig("app", url, "sa", "", "db/app"));
    datasources.put(
        "pg-mode",
        new DatasourceConfig(
            "pg-mode",
            "jdbc:h2:file:" + dir.resolve("data/pg") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
            "sa",
            "",
            "db/pg"));
    datasources.put(
        "other", new DatasourceConfig("other", "jdbc:sqlite:" + dir, "sa", "", "db/app"));
    config = new IntentbotConfig(List.of(), Map.of(), datasources, Map.of(), Map.of());
    context = new RecordingStepContext(config, null, null, intents);
    diff = new FlywaySchemaDiffStepType(config);
  }

  private void migrate(String datasource, String target) throws Exception {
    Map<String, Object> with = new LinkedHashMap<>();
    with.put("datasource", datasource);
    with.put("action", "migrate");
    if (target != null) {
      with.put("target", target);
    }
    StepResult result = new FlywayStepType(config).execute(StepInput.of(with), context);
    assertThat(result.success()).as("%s", result.reason()).isTrue();
  }

  private StepResult compare(Map<String, ?> with) throws Exception {
    return diff.execute(StepInput.of(with), context);
  }

  private StepResult compare() throws Exception {
    StepResult result = compare(Map.of("datasource", "app"));
    assertThat(result.success()).as("%s", result.reason()).isTrue();
    return result;
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private List<String> state() throws SQLException {
    List<String> state = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select table_schema, table_name, column_name, data_type, is_nullable"
                    + " from information_schema.columns where table_schema <> 'INFORMATION_SCHEMA'"
                    + " order by 1, 2, 3")) {
      while (rs.next()) {
        state.add(
            rs.getString(1)
                + "."
                + rs.getString(2)
                + "."
                + rs.getString(3)
                + " "
                + rs.getString(4)
                + " "
                + rs.getString(5));
      }
    }
    for (String table : List.of("users", "\"flyway_schema_history\"")) {
      try (Connection c = DriverManager.getConnection(url, "sa", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from " + table)) {
        rs.next();
        state.add(table + " rows " + rs.getLong(1));
      }
    }
    return state;
  }

  @Test
  void aCleanlyMigratedDatabaseHasNoDriftAndIsLeftAsItWas() throws Exception {
    migrate("app", null);
    sql("insert into users (id, email) values (1, 'a@example.com')");
    List<String> before = state();

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("drift", false)
        .containsEntry("missing_tables", List.of())
        .containsEntry("extra_tables", List.of())
        .containsEntry("missing_columns", List.of())
        .containsEntry("extra_columns", List.of())
        .containsEntry("changed_columns", List.of())
        .containsEntry("changed_keys", List.of())
        .containsEntry("checked_tables", 2)
        .containsEntry("version", "3")
        .containsEntry("tables", List.of("orders", "users"))
        .containsEntry("summary", "no drift");
    assertThat(context.lines())
        .contains("no drift: the live schema matches the migrations")
        .anyMatch(l -> l.contains("2 table(s) of datasource 'app' (version 3)"));
    assertThat(state()).isEqualTo(before);
    assertThat(diff.pure()).as("planning must not build shadows").isFalse();
  }

  @Test
  void aColumnDroppedByHandIsMissing() throws Exception {
    migrate("app", null);
    sql("alter table users drop column display_name");

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("drift", true)
        .containsEntry("missing_columns", List.of("users.display_name"))
        .containsEntry("extra_columns", List.of())
        .containsEntry("summary", "missing column users.display_name");
    assertThat(context.lines())
        .contains("drift: 1 difference(s)")
        .contains("difference     | name               | migrations | live")
        .anyMatch(l -> l.matches("missing column +\\| users\\.display_name +\\| column +\\| -"));
  }

  @Test
  void aTableAndAColumnAddedByHandAreExtra() throws Exception {
    migrate("app", null);
    sql(
        "create table audit_notes (id int primary key, note varchar(100))",
        "alter table users add column phone varchar(20)");

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("drift", true)
        .containsEntry("extra_tables", List.of("audit_notes"))
        .containsEntry("extra_columns", List.of("users.phone"))
        .containsEntry("missing_tables", List.of())
        .containsEntry("checked_tables", 3);
  }

  @Test
  void aTypeANullabilityAndAPrimaryKeyChangedByHandAreReportedWithBothSides() throws Exception {
    migrate("app", null);
    sql(
        "alter table users alter column display_name set data type varchar(50)",
        "alter table orders alter column total set data type decimal(12,2)",
        "alter table users alter column created_at set null",
        "alter table orders drop primary key");

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("drift", true)
        .containsEntry(
            "changed_columns",
            List.of(
                Map.of(
                    "column",
                    "orders.total",
                    "expected",
                    "numeric(10,2) not null",
                    "live",
                    "numeric(12,2) not null"),
                Map.of(
                    "column",
                    "users.created_at",
                    "expected",
                    "timestamp not null",
                    "live",
                    "timestamp"),
                Map.of(
                    "column",
                    "users.display_name",
                    "expected",
                    "character varying(200)",
                    "live",
                    "character varying(50)")))
        .containsEntry(
            "changed_keys", List.of(Map.of("table", "orders", "expected", "(id)", "live", "none")));
    assertThat(result.outputs().get("summary").toString())
        .contains(
            "changed column users.display_name (migrations: character varying(200), live:"
                + " character varying(50))");
  }

  @Test
  void aMissingTableIsReported() throws Exception {
    migrate("app", null);
    sql("drop table orders");

    assertThat(compare().outputs()).containsEntry("missing_tables", List.of("orders"));
  }

  @Test
  void pendingMigrationsAreNotDrift() throws Exception {
    migrate("app", "1");

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("drift", false)
        .containsEntry("version", "1")
        .containsEntry("tables", List.of("users"));
  }

  @Test
  void tablesInADatabaseNeverMigratedAreExtra() throws Exception {
    sql("create table legacy (id int)");

    StepResult result = compare();

    assertThat(result.outputs())
        .containsEntry("version", "")
        .containsEntry("extra_tables", List.of("legacy"))
        .containsEntry("drift", true);
  }

  @Test
  void aDatabaseBaselinedAboveZeroCannotBeComparedAndSaysWhy() throws Exception {
    Flyway.configure().dataSource(url, "sa", "").baselineVersion("2").load().baseline();

    StepResult result = compare(Map.of("datasource", "app"));

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .isEqualTo(
            "cannot compare the schema of datasource 'app': it was baselined at version 2, so its"
                + " schema before then is in no migration");
  }

  @Test
  void ignoredTablesAreLeftOut() throws Exception {
    migrate("app", null);
    sql("create table sessions (id int)");

    StepResult result = compare(Map.of("datasource", "app", "ignore_tables", List.of("SESSIONS")));

    assertThat(result.outputs()).containsEntry("drift", false);
  }

  @Test
  void theShadowUsesTheCompatibilityModeOfTheLiveUrl() throws Exception {
    migrate("pg-mode", null);

    StepResult result = compare(Map.of("datasource", "pg-mode"));

    assertThat(result.success()).as("%s", result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("drift", false)
        .containsEntry("tables", List.of("notes"));
    assertThat(context.text()).contains("MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
  }

  @Test
  void refusesUnknownAndUnsupportedDatasourcesClearly() throws Exception {
    assertThat(compare(Map.of("datasource", "nope")).reason())
        .contains("unknown datasource 'nope'");
    assertThat(compare(Map.of("datasource", "other")).reason())
        .contains("neither H2 nor PostgreSQL");
    assertThat(compare(Map.of("datasource", "app", "locations", List.of("db/none"))).reason())
        .contains("does not exist");
  }

  @Test
  void thePlanSaysWhatItComparesAndWhere() throws Exception {
    StepPlan plan = diff.plan(StepInput.of(Map.of("datasource", "app")), context);

    assertThat(plan.summary())
        .isEqualTo(
            "would compare the live schema of datasource 'app' with the one its migrations build"
                + " up to its current version");
    assertThat(plan.details())
        .contains("shadow: a private in-memory H2 database")
        .anyMatch(d -> d.startsWith("locations: filesystem:") && d.endsWith("db/app"));
  }
}
