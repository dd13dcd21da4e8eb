package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlywayUndoStepTypeTest {

  @TempDir Path dir;

  private Path migrations;
  private String url;
  private FlywayStepType flyway;
  private FlywayUndoStepType undo;
  private RecordingStepContext context;

  @BeforeEach
  void setUp() throws Exception {
    Path intents = Files.createDirectories(dir.resolve("intents"));
    migrations = Files.createDirectories(intents.resolve("db/app"));
    write("V1__users.sql", "create table users (id int primary key);\n");
    write("V2__email.sql", "alter table users add column email varchar(80);\n");
    write(
        "V3__orders.sql",
        "-- orders\ncreate table orders (id int primary key);\ninsert into orders values (1);\n");
    write("U2__email.sql", "alter table users drop column email;\n");
    write("U3__orders.sql", "drop table orders;\n");
    url = "jdbc:h2:file:" + dir.resolve("data/app");
    IntentbotConfig config =
        new IntentbotConfig(
            List.of(),
            Map.of(),
            Map.of("app", new DatasourceConfig("app", url, "sa", "", "db/app")),
            Map.of(),
            Map.of());
    flyway = new FlywayStepType(config);
    undo = new FlywayUndoStepType(config);
    context = new RecordingStepContext(config, null, null, intents);
    assertThat(
            flyway
                .execute(StepInput.of(Map.of("datasource", "app", "action", "migrate")), context)
                .success())
        .as("undo scripts next to the migrations do not disturb Flyway community")
        .isTrue();
  }

  @Test
  void undoesEveryLaterMigrationNewestFirstAndForgetsThem() throws Exception {
    assertThat(undo.plan(StepInput.of(Map.of("datasource", "app", "to", "1")), context).details())
        .containsExactly("undo 3 with U3__orders.sql", "undo 2 with U2__email.sql");

    StepResult result = undo.execute(StepInput.of(Map.of("datasource", "app", "to", 1)), context);

    assertThat(result.success()).as(String.valueOf(result.reason())).isTrue();
    assertThat(result.outputs())
        .containsEntry("from_version", "3")
        .containsEntry("current_version", "1")
        .containsEntry("count", 2);
    assertThat(tables()).contains("USERS").doesNotContain("ORDERS");
    StepResult again =
        flyway.execute(StepInput.of(Map.of("datasource", "app", "action", "migrate")), context);
    assertThat(again.outputs()).containsEntry("applied", 2).containsEntry("current_version", "3");
  }

  @Test
  void refusesBeforeRunningAnythingWhenAnUndoScriptIsMissing() throws Exception {
    Files.delete(migrations.resolve("U2__email.sql"));

    assertThatThrownBy(
            () -> undo.plan(StepInput.of(Map.of("datasource", "app", "to", "1")), context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing undo script(s) U2__*.sql (undoes V2__email.sql)");
    StepResult result = undo.execute(StepInput.of(Map.of("datasource", "app", "to", "1")), context);

    assertThat(result.failed()).isTrue();
    assertThat(tables()).contains("ORDERS");
  }

  @Test
  void refusesAVersionThatIsNotApplied() throws Exception {
    StepResult result = undo.execute(StepInput.of(Map.of("datasource", "app", "to", "7")), context);

    assertThat(result.reason())
        .contains("version 7 is not applied")
        .contains("applied versions: 1, 2, 3");
  }

  @Test
  void rollsBackTheDataChangesOfAFailedUndo() throws Exception {
    write("U3__orders.sql", "delete from orders;\nselect * from no_such_table;\n");

    StepResult result = undo.execute(StepInput.of(Map.of("datasource", "app", "to", "2")), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).contains("failed and was rolled back");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.createStatement().executeQuery("select count(*) from orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void splitsScriptsIntoStatements() throws Exception {
    Path file = migrations.resolve("U9__x.sql");
    Files.writeString(file, "-- comment\ndrop table a;\n\nupdate b\n  set c = 1;\ndrop table d\n");

    assertThat(FlywayUndoStepType.statements(file))
        .containsExactly("drop table a", "update b\n  set c = 1", "drop table d");
  }

  private void write(String name, String sql) throws Exception {
    Files.writeString(migrations.resolve(name), sql);
  }

  private List<String> tables() throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", null, new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
    }
    return tables;
  }
}
