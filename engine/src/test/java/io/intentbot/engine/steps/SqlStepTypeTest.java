package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlStepTypeTest {

  private static final String PASSWORD = "pw-Secret-4711";

  @TempDir Path dir;

  private SqlStepType sql;
  private RecordingStepContext context;

  @BeforeEach
  void setUp() {
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    datasources.put(
        "app",
        new DatasourceConfig("app", "jdbc:h2:file:" + dir.resolve("app"), "sa", PASSWORD, null));
    datasources.put(
        "other",
        new DatasourceConfig("other", "jdbc:h2:file:" + dir.resolve("other"), "sa", "", null));
    IntentbotConfig config =
        new IntentbotConfig(List.of(), Map.of(), datasources, Map.of(), Map.of());
    sql = new SqlStepType(config);
    context = new RecordingStepContext(config, null, null, dir);
  }

  private StepResult run(Map<String, ?> with) throws Exception {
    return sql.execute(StepInput.of(with), context);
  }

  private StepResult statement(String text, Object... params) throws Exception {
    StepResult result =
        run(Map.of("datasource", "app", "statement", text, "params", Arrays.asList(params)));
    assertThat(result.success()).as(result.reason()).isTrue();
    return result;
  }

  private void createUsers() throws Exception {
    statement(
        "create table users (id int primary key, name varchar(40), admin boolean,"
            + " balance decimal(10,2), joined timestamp)");
    statement(
        "insert into users values (?, ?, ?, ?, ?)", 1, "ada", true, "12.50", "2024-03-01 10:15:00");
    statement("insert into users values (?, ?, ?, ?, ?)", 2, "bob", false, "3", null);
  }

  @Test
  void aStatementReportsTheUpdateCount() throws Exception {
    statement("create table t (id int)");

    StepResult result = statement("insert into t values (?), (?), (?)", 1, 2, 3);

    assertThat(result.outputs()).containsEntry("updated", 3L);
    assertThat(context.lines()).contains("3 rows updated");
  }

  @Test
  void aQueryGivesRowsAsJsonFriendlyValues() throws Exception {
    createUsers();

    StepResult result =
        run(Map.of("datasource", "app", "query", "select * from users order by id"));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("columns", List.of("ID", "NAME", "ADMIN", "BALANCE", "JOINED"))
        .containsEntry("row_count", 2)
        .containsEntry("truncated", false);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) result.outputs().get("rows");
    Map<String, Object> bob = new LinkedHashMap<>();
    bob.put("ID", 2);
    bob.put("NAME", "bob");
    bob.put("ADMIN", false);
    bob.put("BALANCE", 3L);
    bob.put("JOINED", null);
    assertThat(rows)
        .containsExactly(
            Map.of(
                "ID",
                1,
                "NAME",
                "ada",
                "ADMIN",
                true,
                "BALANCE",
                12.5,
                "JOINED",
                "2024-03-01T10:15"),
            bob);
  }

  @Test
  void writesTheRowsAsATextTable() throws Exception {
    createUsers();

    run(Map.of("datasource", "app", "query", "select id, name from users order by id"));

    assertThat(context.lines())
        .containsSubsequence("ID | NAME", "-- | ----", "1  | ada", "2  | bob", "(2 rows)");
  }

  @Test
  void paramsAreBoundNeverSpliced() throws Exception {
    createUsers();

    StepResult injected =
        run(
            Map.of(
                "datasource", "app",
                "query", "select name from users where name = ?",
                "params", List.of("x' or '1'='1")));
    StepResult bound =
        run(
            Map.of(
                "datasource", "app",
                "query", "select name from users where name = ? and id = ?",
                "params", List.of("ada", "1")));

    assertThat(injected.outputs()).containsEntry("row_count", 0);
    assertThat(bound.outputs()).containsEntry("rows", List.of(Map.of("NAME", "ada")));
  }

  @Test
  void maxRowsCutsTheResult() throws Exception {
    StepResult result =
        run(
            Map.of(
                "datasource", "app",
                "query", "select x from system_range(1, 50)",
                "max_rows", 3));

    assertThat(result.outputs()).containsEntry("row_count", 3).containsEntry("truncated", true);
    assertThat(context.lines()).contains("(3 rows; more were left out by max_rows)");
  }

  @Test
  void registersTheDatasourcePasswordAsSecret() throws Exception {
    run(Map.of("datasource", "app", "query", "select 1"));

    assertThat(context.secrets()).containsExactly(PASSWORD);
  }

  @Test
  void anUnknownDatasourceListsTheKnownOnes() throws Exception {
    StepResult result = run(Map.of("datasource", "nope", "query", "select 1"));

    assertThat(result.reason())
        .isEqualTo(
            "unknown datasource 'nope'; known datasources: app, other; to use 'nope', add it under"
                + " datasources: in the config");
  }

  @Test
  void aSchemaIsWhereNamesWithoutOneAreLookedUpAndAMissingOneFailsNamingIt() throws Exception {
    statement("create schema \"my_shop\"");
    statement("create table \"my_shop\".todos (title varchar(20))");
    statement("create table todos (other int)");
    statement("create schema \"myXblog\""); // what getSchemas' pattern my_blog would match

    StepResult query =
        run(
            Map.of(
                "datasource",
                "app",
                "schema",
                "my_shop",
                "query",
                "select lower(column_name) as c from information_schema.columns where table_schema"
                    + " = current_schema and lower(table_name) = 'todos'"));
    StepResult missing =
        run(Map.of("datasource", "app", "schema", "my_blog", "query", "select 1 from todos"));

    assertThat(query.success()).as(query.reason()).isTrue();
    assertThat(query.outputs()).containsEntry("rows", List.of(Map.of("C", "title")));
    assertThat(missing.reason())
        .isEqualTo(
            "schema 'my_blog' of datasource 'app': schema 'my_blog' does not exist (create it,"
                + " e.g. with a flyway step with this schema:)");
    assertThat(
            sql.plan(
                    StepInput.of(
                        Map.of("datasource", "app", "schema", "my_shop", "query", "select 1")),
                    context)
                .summary())
        .isEqualTo("would query schema 'my_shop' of datasource 'app'");
  }

  @Test
  void anSqlErrorFailsTheStepWithTheDatabaseMessage() throws Exception {
    StepResult result = run(Map.of("datasource", "app", "query", "select * from missing_table"));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).startsWith("datasource 'app': ").contains("MISSING_TABLE");
  }

  @Test
  void queryAndStatementTogetherAreRefused() throws Exception {
    StepResult result =
        run(Map.of("datasource", "app", "query", "select 1", "statement", "delete from t"));

    assertThat(result.reason()).isEqualTo("give exactly one of 'query' and 'statement'");
  }

  @Test
  void planNeverConnects() {
    StepPlan plan =
        sql.plan(
            StepInput.of(
                Map.of(
                    "datasource", "app",
                    "statement", "delete from users where id = ?",
                    "params", List.of(7))),
            context);

    assertThat(plan.summary()).isEqualTo("would run a statement on datasource 'app'");
    assertThat(plan.details()).containsExactly("delete from users where id = ?", "params: [7]");
    assertThat(Files.exists(dir.resolve("app.mv.db"))).isFalse();
  }

  @Test
  void interruptionCancelsARunningQuery() throws Exception {
    BackgroundStep step =
        BackgroundStep.start(
            sql,
            StepInput.of(
                Map.of(
                    "datasource",
                    "app",
                    "query",
                    "select max(a.x + b.x) from system_range(1, 100000000) a,"
                        + " system_range(1, 100000) b")),
            context);
    await().pollDelay(Duration.ofMillis(300)).until(() -> true);

    long start = System.nanoTime();
    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(6));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result.reason())
        .isEqualTo("cancelled: the statement on datasource 'app' was cancelled");
    assertThat(step.interruptFlagKept()).isTrue();
    assertThat(run(Map.of("datasource", "app", "query", "select 1 as one")).outputs())
        .containsEntry("rows", List.of(Map.of("ONE", 1)));
  }
}
