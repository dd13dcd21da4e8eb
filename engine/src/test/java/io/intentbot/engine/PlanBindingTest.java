package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan an approver saw binds everything the run will use: the intent file, its library steps,
 * the config of its environment and datasources, and the files its steps read (migration scripts,
 * templates). A change to any of them between the plan and the approval cancels the run and says
 * what changed; a real Flyway migration on an H2 file database shows that nothing unseen is
 * applied.
 */
class PlanBindingTest {

  private static final String MIGRATE =
      """
      name: migrate-schema
      parameters:
        app: { type: app, required: true }
        env: { type: environment, required: true }
      steps:
        - id: settings
          uses: lib/settings
          with: { app: "${{ params.app }}", env: "${{ params.env }}" }
        - id: scaffold
          type: files.render
          with: { template: templates/app, target: "OUT/${{ run.id }}", values: { app: "${{ params.app }}" } }
        - id: migrate
          type: flyway
          with: { datasource: "${{ steps.settings.outputs.datasource }}", action: migrate }
      """;

  private static final String SETTINGS =
      """
      name: settings
      parameters:
        app: { type: string, required: true }
        env: { type: string, required: true }
      steps:
        - id: names
          type: set
          with: { datasource: "${{ params.app + '-' + params.env }}" }
      outputs:
        datasource: "${{ steps.names.outputs.datasource }}"
      """;

  @TempDir Path dir;
  private EngineFixture fixture;
  private Path migrations;
  private String dbUrl;

  @BeforeEach
  void setUp() throws IOException {
    fixture =
        new EngineFixture(dir)
            .intent("migrate-schema", MIGRATE.replace("OUT", dir.resolve("out").toString()))
            .library("settings", SETTINGS);
    migrations = Files.createDirectories(fixture.intentsDir().resolve("migrations/web"));
    Files.writeString(migrations.resolve("V1__users.sql"), "create table users (id int);\n");
    Files.writeString(migrations.resolve("V2__email.sql"), "alter table users add email text;\n");
    Path template = Files.createDirectories(fixture.intentsDir().resolve("templates/app"));
    Files.writeString(template.resolve("README.md"), "# {{app}}\n");
    dbUrl = "jdbc:h2:file:" + dir.resolve("webdb").toAbsolutePath();
    fixture.config(config("migrations/web"));
  }

  private String config(String migrationsFolder) {
    return EngineFixture.DEFAULT_CONFIG
        + "datasources:\n"
        + "  web-production: { url: \""
        + dbUrl
        + "\", user: sa, migrations: "
        + migrationsFolder
        + " }\n";
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private String request(Engine engine) {
    Submission submission =
        engine.submit(
            RunRequest.of("migrate-schema", List.of("app=web", "env=production"), "U_CAROL"));
    assertThat(submission).isInstanceOf(Submission.AwaitingApproval.class);
    return submission instanceof Submission.AwaitingApproval a ? a.run().id() : null;
  }

  private static List<String> changes(Decision decision) {
    assertThat(decision).isInstanceOf(Decision.Refused.class);
    Refusal reason = ((Decision.Refused) decision).reason();
    assertThat(reason).isInstanceOf(Refusal.PlanChanged.class);
    return ((Refusal.PlanChanged) reason).changes();
  }

  private List<String> appliedMigrations() throws SQLException {
    List<String> applied = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(dbUrl, "sa", "");
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL"
                        + " ORDER BY \"installed_rank\"")) {
      while (rows.next()) {
        applied.add(rows.getString(1));
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("flyway_schema_history")) {
        return applied;
      }
      throw e;
    }
    return applied;
  }

  @Test
  void aMigrationAddedAfterThePlanWasShownIsNeverApplied() throws Exception {
    Engine engine = fixture.start();
    String id = request(engine);
    Files.writeString(migrations.resolve("V3__drop.sql"), "drop table users;\n");

    Decision decision = engine.approve(id, "U_ALICE");

    assertThat(changes(decision)).containsExactly("migrations/web/V3__drop.sql added");
    RunRecord run = engine.run(id).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.reason())
        .isEqualTo(
            "the plan changed since it was shown (migrations/web/V3__drop.sql added); run "
                + id
                + " will not start: request it again to see the new plan");
    assertThat(engine.steps(id)).isEmpty();
    assertThat(appliedMigrations()).isEmpty();
  }

  @Test
  void aMigrationAddedAfterTheApprovalBeforeTheStepRunsIsNeverApplied() throws Exception {
    Path late = migrations.resolve("V3__late.sql");
    fixture.intent(
        "migrate-schema",
        MIGRATE
            .replace("OUT", dir.resolve("out").toString())
            .replace(
                "  - id: migrate\n",
                "  - id: meanwhile\n"
                    + "    type: shell\n"
                    + "    with: { command: [sh, -c, \"echo 'drop table users;' > "
                    + late
                    + "\"] }\n"
                    + "  - id: migrate\n"));
    Engine engine = fixture.start();
    String id = request(engine);

    assertThat(engine.approve(id, "U_ALICE").accepted()).isTrue();

    RunRecord run = engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();
    assertThat(late).exists();
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(engine.steps(id).get(engine.steps(id).size() - 1).reason())
        .isEqualTo(
            "files changed since the plan was approved (migrations/web/V3__late.sql added); the"
                + " step did not run: request the run again to see the new plan");
    assertThat(appliedMigrations()).isEmpty();
  }

  @Test
  void anUnchangedPlanRunsWhatWasShown() throws Exception {
    Engine engine = fixture.start();
    String id = request(engine);
    assertThat(engine.approve(id, "U_ALICE").accepted()).isTrue();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(appliedMigrations()).containsExactly("V1__users.sql", "V2__email.sql");
  }

  @Test
  void afterARestartTheStoredInputsSayWhatChanged() throws Exception {
    Engine first = fixture.start();
    String id = request(first);
    first.close();
    Files.writeString(migrations.resolve("V2__email.sql"), "alter table users drop id;\n");
    Files.delete(migrations.resolve("V1__users.sql"));
    Files.writeString(
        fixture.intentsDir().resolve("templates/app/README.md"), "# {{app}} (changed)\n");
    fixture.library("settings", SETTINGS.replace("steps:", "description: changed\nsteps:"));
    fixture.config(config("migrations/web") + "  unused: { url: \"jdbc:h2:mem:x\" }\n");

    Engine second = fixture.start();
    assertThat(changes(second.approve(id, "U_ALICE")))
        .containsExactly(
            "migrations/web/V1__users.sql removed",
            "migrations/web/V2__email.sql changed",
            "templates/app/README.md changed",
            "intent migrate-schema.yaml changed",
            "library lib/settings.yaml changed");
    assertThat(second.run(id).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(appliedMigrations()).isEmpty();
  }

  @Test
  void theConfigOfTheEnvironmentAndDatasourceTouchedIsBound() throws Exception {
    Engine first = fixture.start();
    String id = request(first);
    first.close();
    Files.createDirectories(fixture.intentsDir().resolve("migrations/other"));
    fixture.config(config("migrations/other").replace("expires_after: 30m", "expires_after: 45m"));

    Engine second = fixture.start();
    assertThat(changes(second.approve(id, "U_ALICE")))
        .containsExactly(
            "datasource web-production changed",
            "environment production changed",
            "migrations/web/V1__users.sql removed",
            "migrations/web/V2__email.sql removed");
  }
}
