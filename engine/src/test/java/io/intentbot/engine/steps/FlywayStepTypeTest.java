package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywayStepTypeTest {

  private static final String PASSWORD = "fly-Secret-99";

  @TempDir Path dir;

  private Path intents;
  private Path migrations;
  private FlywayStepType flyway;
  private RecordingStepContext context;

  @BeforeEach
  void setUp() throws IOException {
    intents = Files.createDirectories(dir.resolve("intents"));
    migrations = Files.createDirectories(intents.resolve("db/app"));
    Files.writeString(
        migrations.resolve("V1__create_users.sql"),
        "create table users (id int primary key, name varchar(40));\n");
    Files.writeString(
        migrations.resolve("V2__add_email.sql"),
        "alter table users add column email varchar(80);\n");
    Files.writeString(
        migrations.resolve("V3__index_email.sql"), "create index users_email on users(email);\n");
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    String url = "jdbc:h2:file:" + dir.resolve("data/app");
    datasources.put("app", new DatasourceConfig("app", url, "sa", PASSWORD, "db/app"));
    datasources.put("bare", new DatasourceConfig("bare", url, "sa", PASSWORD, null));
    IntentbotConfig config =
        new IntentbotConfig(List.of(), Map.of(), datasources, Map.of(), Map.of());
    flyway = new FlywayStepType(config);
    context = new RecordingStepContext(config, null, null, intents);
  }

  private StepResult run(Map<String, ?> with) throws Exception {
    return flyway.execute(StepInput.of(with), context);
  }

  private static Map<String, Object> migration(String version, String description, String script) {
    return Map.of("version", version, "description", description, "script", script);
  }

  private static final Map<String, Object> V1 =
      migration("1", "create users", "V1__create_users.sql");
  private static final Map<String, Object> V2 = migration("2", "add email", "V2__add_email.sql");
  private static final Map<String, Object> V3 =
      migration("3", "index email", "V3__index_email.sql");

  @Test
  void infoListsEveryMigrationWithItsState() throws Exception {
    run(Map.of("datasource", "app", "action", "migrate", "target", "1"));

    StepResult result = run(Map.of("datasource", "app", "action", "info"));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("current_version", "1")
        .containsEntry("pending", List.of(V2, V3));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> all = (List<Map<String, Object>>) result.outputs().get("migrations");
    assertThat(all).extracting(m -> m.get("version")).containsExactly("1", "2", "3");
    assertThat(all)
        .extracting(m -> m.get("state"))
        .containsExactly("Success", "Pending", "Pending");
    assertThat(context.lines()).contains("2 - add email (V2__add_email.sql) Pending");
  }

  @Test
  void dryRunListsPendingMigrationsAndAppliesNothing() throws Exception {
    StepPlan plan =
        flyway.plan(StepInput.of(Map.of("datasource", "app", "action", "migrate")), context);

    assertThat(plan.summary()).isEqualTo("would migrate datasource 'app' to the latest version");
    assertThat(plan.details())
        .containsSequence(
            "current version: none",
            "pending migrations:",
            "  1 - create users (V1__create_users.sql)",
            "  2 - add email (V2__add_email.sql)",
            "  3 - index email (V3__index_email.sql)");
    assertThat(run(Map.of("datasource", "app", "action", "info")).outputs())
        .containsEntry("pending", List.of(V1, V2, V3));
  }

  @Test
  void dryRunWithATargetListsOnlyMigrationsUpToIt() {
    StepPlan plan =
        flyway.plan(
            StepInput.of(Map.of("datasource", "app", "action", "migrate", "target", "2")), context);

    assertThat(plan.summary()).isEqualTo("would migrate datasource 'app' to version 2");
    assertThat(plan.details())
        .contains(
            "  1 - create users (V1__create_users.sql)", "  2 - add email (V2__add_email.sql)")
        .doesNotContain("  3 - index email (V3__index_email.sql)");
  }

  @Test
  void migrateAppliesUpToTheTargetThenTheRest() throws Exception {
    StepResult first = run(Map.of("datasource", "app", "action", "migrate", "target", "2"));

    assertThat(first.success()).as(first.reason()).isTrue();
    assertThat(first.outputs())
        .containsEntry("applied", 2)
        .containsEntry("current_version", "2")
        .containsEntry("pending", List.of(V3))
        .containsEntry("migrations", List.of(V1, V2));
    assertThat(context.lines())
        .containsExactly(
            "applied 1 - create users (V1__create_users.sql)",
            "applied 2 - add email (V2__add_email.sql)");

    StepResult second = run(Map.of("datasource", "app", "action", "migrate"));

    assertThat(second.outputs())
        .containsEntry("applied", 1)
        .containsEntry("current_version", "3")
        .containsEntry("pending", List.of());
    StepResult third = run(Map.of("datasource", "app", "action", "migrate"));
    assertThat(third.outputs()).containsEntry("applied", 0);
    assertThat(context.lines()).endsWith("nothing to migrate");
  }

  @Test
  void validatePassesWithPendingMigrations() throws Exception {
    run(Map.of("datasource", "app", "action", "migrate", "target", "1"));

    StepResult result = run(Map.of("datasource", "app", "action", "validate"));

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("valid", true).containsEntry("errors", List.of());
  }

  @Test
  void validateFailsWhenAnAppliedMigrationChanged() throws Exception {
    run(Map.of("datasource", "app", "action", "migrate"));
    Files.writeString(
        migrations.resolve("V1__create_users.sql"),
        "create table users (id bigint primary key, name varchar(40));\n");

    StepResult result = run(Map.of("datasource", "app", "action", "validate"));

    assertThat(result.failed()).isTrue();
    assertThat(result.outputs()).containsEntry("valid", false);
    assertThat(result.reason())
        .startsWith("migrations of datasource 'app' are not valid: ")
        .contains("checksum mismatch")
        .contains("1");
    StepResult migrate = run(Map.of("datasource", "app", "action", "migrate"));
    assertThat(migrate.failed()).isTrue();
    assertThat(migrate.reason()).startsWith("flyway migrate on datasource 'app' failed: ");
  }

  @Test
  void locationsResolveAgainstTheIntentsFolder() throws Exception {
    Files.createDirectories(intents.resolve("db/extra"));
    Files.writeString(
        intents.resolve("db/extra/V1__only.sql"), "create table only_one (id int);\n");

    StepResult result =
        run(
            Map.of(
                "datasource", "bare",
                "action", "info",
                "locations", List.of("filesystem:db/extra")));

    assertThat(result.outputs())
        .containsEntry("pending", List.of(migration("1", "only", "V1__only.sql")));
  }

  @Test
  void aMissingMigrationsFolderIsAnError() throws Exception {
    StepResult result =
        run(Map.of("datasource", "app", "action", "migrate", "locations", List.of("db/typo")));

    assertThat(result.reason())
        .isEqualTo("migrations folder '" + intents.resolve("db/typo") + "' does not exist");
  }

  @Test
  void aDatasourceWithoutMigrationsNeedsLocations() throws Exception {
    StepResult result = run(Map.of("datasource", "bare", "action", "info"));

    assertThat(result.reason())
        .isEqualTo("datasource 'bare' has no migrations folder in config; give 'locations'");
  }

  @Test
  void anUnknownDatasourceListsTheKnownOnes() throws Exception {
    assertThat(run(Map.of("datasource", "prod", "action", "info")).reason())
        .isEqualTo(
            "unknown datasource 'prod'; known datasources: app, bare; to use 'prod', add it under"
                + " datasources: in the config");
  }

  /** Two apps' V1, alike but for the name in them, as create-nextjs-app renders them. */
  private void appMigrations(String app) throws IOException {
    Path folder = Files.createDirectories(intents.resolve("apps/" + app));
    Files.writeString(
        folder.resolve("V1__create_todos.sql"),
        "-- Schema of " + app + "\ncreate table todos (id int primary key, title varchar(200));\n");
  }

  private Map<String, Object> inSchema(String schema, String action, String app) {
    return Map.of(
        "datasource",
        "bare",
        "action",
        action,
        "schema",
        schema,
        "locations",
        List.of("apps/" + app));
  }

  @Test
  void aSchemaPerAppKeepsTwoAppsMigrationsAndChecksumsApartInOneDatabase() throws Exception {
    appMigrations("shop");
    appMigrations("blog");

    StepPlan plan = flyway.plan(StepInput.of(inSchema("shop", "migrate", "shop")), context);
    assertThat(plan.summary())
        .isEqualTo("would migrate schema 'shop' of datasource 'bare' to the latest version");
    assertThat(plan.details()).contains("  1 - create todos (V1__create_todos.sql)");
    assertThat(schemaHistory("shop")).as("the dry run creates nothing").isNull();

    StepResult shop = run(inSchema("shop", "migrate", "shop"));
    StepResult blog = run(inSchema("my_blog", "migrate", "blog"));

    assertThat(shop.success()).as(shop.reason()).isTrue();
    assertThat(blog.success()).as(blog.reason()).isTrue();
    assertThat(shop.outputs()).containsEntry("applied", 1).containsEntry("current_version", "1");
    assertThat(blog.outputs()).containsEntry("applied", 1).containsEntry("current_version", "1");
    Integer shopChecksum = schemaHistory("shop");
    Integer blogChecksum = schemaHistory("my_blog");
    assertThat(shopChecksum).isNotNull().isNotEqualTo(blogChecksum);
    assertThat(blogChecksum).isNotNull();
    assertThat(run(inSchema("shop", "validate", "shop")).success()).isTrue();
    assertThat(run(inSchema("my_blog", "validate", "blog")).success()).isTrue();
    assertThat(run(inSchema("shop", "migrate", "shop")).outputs()).containsEntry("applied", 0);
    assertThat(
            run(Map.of("datasource", "bare", "action", "info", "locations", List.of("apps/shop")))
                .outputs())
        .as("the default schema has no history of either")
        .containsEntry("current_version", "");
  }

  @Test
  void aSchemaMustBeAPlainName() throws Exception {
    assertThat(run(Map.of("datasource", "app", "action", "info", "schema", "a\"; drop")).reason())
        .contains("'schema' must be a plain SQL name")
        .contains("a\"; drop");
  }

  /** The checksum of V1 in the schema's own history table, or null when there is none. */
  private Integer schemaHistory(String schema) throws Exception {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("data/app"), "sa", PASSWORD);
        java.sql.ResultSet tables =
            connection.getMetaData().getTables(null, schema, "flyway_schema_history", null)) {
      if (!tables.next()) {
        return null;
      }
      try (java.sql.Statement statement = connection.createStatement();
          java.sql.ResultSet rows =
              statement.executeQuery(
                  "select \"checksum\" from \""
                      + schema
                      + "\".\"flyway_schema_history\" where \"version\" = '1'")) {
        return rows.next() ? rows.getInt(1) : null;
      }
    }
  }

  @Test
  void interruptionLetsTheRunningMigrationFinishAndStopsBeforeTheNext() throws Exception {
    Files.writeString(
        migrations.resolve("V1__create_users.sql"),
        "create table users (id int primary key, name varchar(40));\n"
            + "create table slow as select max(a.x + b.x) m from system_range(1, 3000000) a,"
            + " system_range(1, 10) b;\n");
    BackgroundStep step =
        BackgroundStep.start(
            flyway, StepInput.of(Map.of("datasource", "app", "action", "migrate")), context);
    await().atMost(Duration.ofSeconds(10)).until(this::firstMigrationRunning);

    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(40));
    System.err.println(
        "DEBUG "
            + result
            + " lines="
            + context.lines()
            + " info="
            + run(Map.of("datasource", "app", "action", "info")));

    assertThat(result.reason())
        .isEqualTo(
            "cancelled: flyway migrate on datasource 'app' stopped after 1 applied migration(s)");
    assertThat(step.interruptFlagKept()).isTrue();
    assertThat(run(Map.of("datasource", "app", "action", "info")).outputs())
        .containsEntry("current_version", "1")
        .containsEntry("pending", List.of(V2, V3));
  }

  /** Whether V1 has got past its first statement (H2 commits DDL at once). */
  private boolean firstMigrationRunning() throws Exception {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("data/app"), "sa", PASSWORD);
        java.sql.ResultSet tables =
            connection.getMetaData().getTables(null, "PUBLIC", "USERS", null)) {
      return tables.next();
    }
  }

  @Test
  void registersTheDatasourcePasswordAsSecret() throws Exception {
    run(Map.of("datasource", "app", "action", "info"));

    assertThat(context.secrets()).containsExactly(PASSWORD);
  }
}
