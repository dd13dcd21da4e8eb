package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepStatus;
import io.intentbot.engine.model.Submission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migrate-schema, database-rollback, validate-schema and inspect-schema on H2 files, with the
 * shipped migrations of web (intents/migrations/web) and Velero backups played by the test.
 */
class DatabaseIntentsIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;

  @BeforeEach
  void start() {
    catalog = new CatalogFixture(root);
    controllers = new Controllers(catalog.admin);
    controllers.veleroLocation();
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void migrateSchemaAppliesPendingMigrationsWithoutABackupInSandbox() throws Exception {
    assertThat(catalog.plan("migrate-schema", "app=web", "env=sandbox"))
        .contains("1 - create users (V1__create_users.sql)")
        .contains("2 - add user name (V2__add_user_name.sql)")
        .contains("backup: skipped");

    RunRecord run = catalog.run("migrate-schema", "app=web", "env=sandbox");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("version", "2").containsEntry("dump", "");
    assertThat(columns("web-sandbox", "USERS")).contains("EMAIL", "DISPLAY_NAME");
    assertThat(controllers.all(Controllers.BACKUPS)).isEmpty();
    assertThat(root.resolve("dumps")).doesNotExist();
  }

  @Test
  void migrateSchemaBacksUpFirstInProductionAfterApproval() throws Exception {
    Submission submission =
        catalog.submit("migrate-schema", "U_DEV", false, "app=web", "env=production");
    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    String runId = ((Submission.AwaitingApproval) submission).run().id();
    assertThat(catalog.engine.approve(runId, "U_ALICE").accepted()).isTrue();

    RunRecord run = catalog.finish(runId);

    assertSucceeded(run);
    assertThat(controllers.all(Controllers.BACKUPS)).hasSize(1);
    assertThat(run.outputs().get("backup").toString()).isNotEmpty();
    Path dump = root.resolve("dumps").resolve("web-production-" + runId + ".sql");
    assertThat(Files.list(root.resolve("dumps")).toList()).containsExactly(dump);
    assertThat(run.outputs()).containsEntry("dump", dump.toString());
    assertThat(catalog.step(runId, "dump").outputs())
        .containsEntry("engine", "h2")
        .containsEntry("file", dump.toString());
    assertThat(Files.readString(dump)).containsIgnoringCase("CREATE");
    assertThat(columns("web-production", "USERS")).contains("DISPLAY_NAME");
  }

  @Test
  void aFailedBackupStopsTheMigration() throws Exception {
    controllers.backupPhase = "Failed";

    RunRecord run = catalog.run("migrate-schema", "app=web", "env=sandbox", "backup_first=true");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("backup").contains("Failed");
    assertThat(catalog.step(run.id(), "backup").status()).isEqualTo(StepStatus.FAILED);
    assertThat(catalog.ids(run.id())).noneMatch(s -> s.startsWith("migrate:"));
    assertThat(columns("web-sandbox", "USERS")).isEmpty();
  }

  @Test
  void migrateSchemaRefusesAnUnknownDatasourceClearly() {
    assertThat(String.join("\n", catalog.invalid("migrate-schema", "app=api", "env=production")))
        .contains("unknown datasource 'api-production'");
    assertThat(
            String.join(
                "\n", catalog.invalid("migrate-schema", "app=web", "env=sandbox", "target=two")))
        .contains("target");
  }

  @Test
  void databaseRollbackRunsThePairedUndoScriptsAfterABackup() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=sandbox"));
    assertThat(catalog.plan("database-rollback", "app=web", "env=sandbox", "to=1"))
        .contains("undo 2 with U2__add_user_name.sql");

    RunRecord run = catalog.run("database-rollback", "app=web", "env=sandbox", "to=1");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("from_version", "2").containsEntry("version", "1");
    assertThat(columns("web-sandbox", "USERS")).contains("EMAIL").doesNotContain("DISPLAY_NAME");
    assertThat(controllers.all(Controllers.BACKUPS)).hasSize(1);
    Path dump = root.resolve("dumps").resolve("web-sandbox-" + run.id() + ".sql");
    assertThat(run.outputs()).containsEntry("dump", dump.toString());
    assertThat(Files.readString(dump))
        .as("dumped before the undo")
        .contains("\"USERS\"", "\"DISPLAY_NAME\"");
    RunRecord again = catalog.run("migrate-schema", "app=web", "env=sandbox");
    assertSucceeded(again);
    assertThat(columns("web-sandbox", "USERS")).contains("DISPLAY_NAME");
  }

  @Test
  void databaseRollbackRefusesWhenAnUndoScriptIsMissing() throws Exception {
    Path migrations = Files.createDirectories(root.resolve("api-migrations"));
    Files.writeString(
        migrations.resolve("V1__tokens.sql"), "create table tokens (id int primary key);\n");
    Files.writeString(
        migrations.resolve("V2__scope.sql"), "alter table tokens add column scope varchar(20);\n");
    Files.writeString(
        migrations.resolve("U2__scope.sql"), "alter table tokens drop column scope;\n");
    Files.writeString(
        migrations.resolve("V3__owner.sql"), "alter table tokens add column owner varchar(20);\n");
    assertSucceeded(catalog.run("migrate-schema", "app=api", "env=sandbox"));

    List<String> errors = catalog.invalid("database-rollback", "app=api", "env=sandbox", "to=1");

    assertThat(String.join("\n", errors))
        .contains("missing undo script(s) U3__*.sql (undoes V3__owner.sql)")
        .contains("nothing was changed");
    assertThat(columns("api-sandbox", "TOKENS")).contains("SCOPE", "OWNER");
    assertThat(controllers.all(Controllers.BACKUPS)).isEmpty();
    assertThat(
            String.join(
                "\n", catalog.invalid("database-rollback", "app=api", "env=sandbox", "to=7")))
        .contains("version 7 is not applied");
  }

  @Test
  void validateSchemaPassesOnAMigratedDatabaseAndNamesWhatIsMissing() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=sandbox"));

    RunRecord ok =
        catalog.run(
            "validate-schema",
            "app=web",
            "env=sandbox",
            "tables=users",
            "columns=users.email,users.display_name");
    assertSucceeded(ok);
    assertThat(ok.outputs()).containsEntry("version", "2");

    RunRecord missing =
        catalog.run("validate-schema", "app=web", "env=sandbox", "columns=users.email,users.phone");
    assertThat(missing.status()).isEqualTo(RunStatus.FAILED);
    assertThat(missing.reason()).contains("missing column(s): users.phone");
  }

  @Test
  void validateSchemaFailsNamingTheDriftAfterAManualAlterTable() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=sandbox"));
    RunRecord clean = catalog.run("validate-schema", "app=web", "env=sandbox");
    assertSucceeded(clean);
    assertThat(clean.outputs()).containsEntry("drift", false);
    try (Connection c = DriverManager.getConnection(catalog.dbUrl("web-sandbox"), "sa", "");
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE users DROP COLUMN display_name");
      s.execute("ALTER TABLE users ADD COLUMN phone VARCHAR(20)");
    }

    RunRecord run = catalog.run("validate-schema", "app=web", "env=sandbox");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason())
        .contains("schema drift in web sandbox at migration version 2")
        .contains("missing column users.display_name")
        .contains("extra column users.phone")
        .contains("new migration");
    assertThat(catalog.step(run.id(), "drift").status()).isEqualTo(StepStatus.FAILED);
    assertThat(catalog.step(run.id(), "compare").outputText())
        .contains("drift: 2 difference(s)")
        .containsPattern("missing column +\\| users\\.display_name")
        .containsPattern("extra column +\\| users\\.phone");
    assertThat(columns("web-sandbox", "USERS")).contains("PHONE").doesNotContain("DISPLAY_NAME");
    startsWithoutApproval("validate-schema", "app=web", "env=production");
  }

  @Test
  void validateSchemaReportsPendingMigrations() throws Exception {
    assertSucceeded(catalog.run("migrate-schema", "app=web", "env=sandbox", "target=1"));

    RunRecord run = catalog.run("validate-schema", "app=web", "env=sandbox");

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.reason()).contains("1 migration(s) not applied yet: 2");
  }

  @Test
  void inspectSchemaShowsTablesColumnsKeysAndRelationships() throws Exception {
    Path migrations = Files.createDirectories(root.resolve("api-migrations"));
    Files.writeString(
        migrations.resolve("V1__shop.sql"),
        "create table customers (id int primary key, email varchar(100) unique);\n"
            + "create table orders (id int primary key, customer_id int references customers(id), total decimal(10,2));\n");
    assertSucceeded(catalog.run("migrate-schema", "app=api", "env=sandbox"));

    RunRecord run = catalog.run("inspect-schema", "app=api");

    assertSucceeded(run);
    assertThat(run.outputs()).containsEntry("tables", "customers, orders");
    assertThat(((Number) run.outputs().get("relationships")).longValue()).isEqualTo(1L);
    String text = catalog.step(run.id(), "relationships").outputText();
    assertThat(text).contains("orders").contains("customer_id").contains("customers");
    assertThat(catalog.step(run.id(), "keys").outputText())
        .contains("primary key")
        .contains("foreign key");
    startsWithoutApproval("inspect-schema", "app=web", "env=production");
  }

  /**
   * A read-only intent on production starts at once (read-only intents never wait for approval); it
   * is left to end, since its steps open the production database under the test's folder.
   */
  private void startsWithoutApproval(String intent, String... arguments) throws Exception {
    Submission production = catalog.submit(intent, "U_DEV", false, arguments);
    assertThat(production)
        .as("read-only intents never wait for approval")
        .isInstanceOf(Submission.Started.class);
    assertThat(catalog.finish(((Submission.Started) production).run().id()).status())
        .isIn(RunStatus.SUCCEEDED, RunStatus.FAILED);
  }

  private List<String> columns(String db, String table) throws Exception {
    List<String> columns = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(catalog.dbUrl(db), "sa", "");
        ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", table, null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    return columns;
  }
}
