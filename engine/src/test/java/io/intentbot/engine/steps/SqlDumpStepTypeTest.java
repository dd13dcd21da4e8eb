package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sql.dump on real H2 files; the PostgreSQL side is in {@link SqlDumpStepTypePostgresIT}. */
class SqlDumpStepTypeTest {

  private static final String PASSWORD = "pw-Secret-4711";

  @TempDir Path dir;

  private IntentbotConfig config;
  private SqlDumpStepType dump;
  private RecordingStepContext context;

  @BeforeEach
  void setUp() throws SQLException {
    Map<String, DatasourceConfig> datasources = new LinkedHashMap<>();
    datasources.put("app", new DatasourceConfig("app", h2Url("app"), "sa", PASSWORD, null));
    datasources.put(
        "mysql",
        new DatasourceConfig("mysql", "jdbc:mysql://db.example:3306/shop", "root", "", null));
    datasources.put(
        "pg",
        new DatasourceConfig(
            "pg", "jdbc:postgresql://db.example:5433/shop?sslmode=require", "app", PASSWORD, null));
    config =
        new IntentbotConfig(
            List.of(),
            Map.of(),
            datasources,
            Map.of(),
            Map.of("pg_dump", Map.of("binary", dir.resolve("no-such/pg_dump").toString())));
    dump = new SqlDumpStepType(config);
    context = new RecordingStepContext(config, null, null, dir);
    execute(
        h2Url("app"),
        "create table users (id int primary key, name varchar(40), joined date)",
        "create table teams (id int primary key, title varchar(40))",
        "insert into users values (1, 'ada', date '2024-03-01'), (2, 'bob''s', null)",
        "insert into teams values (7, 'ops')");
  }

  private String h2Url(String name) {
    return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
  }

  private static void execute(String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "sa", PASSWORD);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private StepResult run(String datasource, Path file) throws Exception {
    return dump.execute(
        StepInput.of(Map.of("datasource", datasource, "file", file.toString())), context);
  }

  private static List<String> rows(String url, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join("|", cells));
      }
    }
    return rows;
  }

  @Test
  void anH2DumpRestoresIntoAFreshDatabaseWithTheSameRows() throws Exception {
    Path file = dir.resolve("dumps/nested/app.sql");

    StepResult result = run("app", file);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("file", file.toAbsolutePath().toString())
        .containsEntry("engine", "h2")
        .containsEntry("tables", 2L)
        .containsEntry("bytes", Files.size(file));
    assertThat(Files.readString(file)).contains("CREATE", "USERS");
    assertThat(Files.list(file.getParent()).toList()).as("no partial file left").hasSize(1);

    String fresh = h2Url("fresh");
    try (Connection c = DriverManager.getConnection(fresh, "sa", PASSWORD);
        PreparedStatement restore = c.prepareStatement("RUNSCRIPT FROM ?")) {
      restore.setString(1, file.toString());
      restore.execute();
    }
    assertThat(rows(fresh, "select * from users order by id"))
        .containsExactly("1|ada|2024-03-01", "2|bob's|null")
        .isEqualTo(rows(h2Url("app"), "select * from users order by id"));
    assertThat(rows(fresh, "select * from teams")).containsExactly("7|ops");
    assertThat(context.lines())
        .anyMatch(line -> line.startsWith("dumping datasource 'app' (h2, 2 tables) to"))
        .anyMatch(line -> line.startsWith("wrote " + file.toAbsolutePath()));
    assertThat(context.secrets()).contains(PASSWORD);
    assertThat(context.text()).doesNotContain(PASSWORD);
  }

  @Test
  void refusesToOverwriteAnExistingFile() throws Exception {
    Path file = Files.writeString(dir.resolve("old.sql"), "keep me");

    StepResult result = run("app", file);

    assertThat(result.success()).isFalse();
    assertThat(result.reason()).contains("already exists").contains("never overwritten");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void aRelativeFileResolvesAgainstTheWorkingDirectory() {
    StepPlan plan =
        dump.plan(StepInput.of(Map.of("datasource", "app", "file", "relative/app.sql")), context);

    assertThat(plan.summary())
        .endsWith(Path.of("relative/app.sql").toAbsolutePath().normalize().toString());
  }

  @Test
  void theDryRunDescribesTheDumpWithoutWritingAnything() {
    Path file = dir.resolve("dry/app.sql");

    StepPlan plan =
        dump.plan(StepInput.of(Map.of("datasource", "app", "file", file.toString())), context);

    assertThat(plan.summary()).isEqualTo("would dump datasource 'app' (h2) to " + file);
    assertThat(plan.details())
        .contains("with H2's SCRIPT TO", "creates the folder " + file.getParent());
    assertThat(dir.resolve("dry")).doesNotExist();
    assertThat(dump.pure()).isFalse();
  }

  @Test
  void otherDatabasesAreNotSupported() throws Exception {
    StepResult result = run("mysql", dir.resolve("shop.sql"));

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .startsWith("dump not supported for mysql (datasource 'mysql')")
        .contains("h2 and postgresql");
    assertThat(dir.resolve("shop.sql")).doesNotExist();
    assertThat(
            dump.plan(StepInput.of(Map.of("datasource", "mysql", "file", "x.sql")), context)
                .details())
        .anyMatch(line -> line.startsWith("fails: dump not supported for mysql"));
  }

  @Test
  void aMissingPgDumpFailsNamingTheFix() throws Exception {
    Path file = dir.resolve("pg/shop.sql");

    StepResult result = run("pg", file);

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .contains("pg_dump not found ('" + dir.resolve("no-such/pg_dump") + "')")
        .contains("postgresql-client")
        .contains("pg_dump.binary")
        .contains(SqlDumpStepType.BINARY_ENV);
    assertThat(dir.resolve("pg")).doesNotExist();
    assertThat(context.text()).doesNotContain(PASSWORD);
  }

  @Test
  void thePlanShowsThePgDumpCommandWithoutThePassword() {
    StepPlan plan =
        dump.plan(
            StepInput.of(Map.of("datasource", "pg", "file", dir.resolve("shop.sql").toString())),
            context);

    assertThat(plan.summary()).startsWith("would dump datasource 'pg' (postgresql) to ");
    assertThat(plan.details().get(0))
        .startsWith("$ " + dir.resolve("no-such/pg_dump"))
        .contains("--host db.example --port 5433 --username app --dbname shop")
        .contains("--format plain --no-owner --no-password --file " + dir.resolve("shop.sql"));
    assertThat(plan.details()).anyMatch(line -> line.startsWith("fails: pg_dump not found"));
    assertThat(String.join("\n", plan.details())).doesNotContain(PASSWORD);
  }

  @Test
  void theProgramComesFromConfigThenTheVariableThenPath() {
    IntentbotConfig plain = new IntentbotConfig(List.of(), Map.of(), Map.of(), Map.of(), Map.of());

    assertThat(dump.binary()).isEqualTo(dir.resolve("no-such/pg_dump").toString());
    assertThat(
            new SqlDumpStepType(plain, Map.of(SqlDumpStepType.BINARY_ENV, "/opt/pg16/pg_dump"))
                .binary())
        .isEqualTo("/opt/pg16/pg_dump");
    assertThat(new SqlDumpStepType(plain, Map.of()).binary()).isEqualTo("pg_dump");
  }

  @Test
  void findsAProgramOnPath() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path program = Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\n");
    program.toFile().setExecutable(true);
    SqlDumpStepType withPath =
        new SqlDumpStepType(config, Map.of("PATH", dir.resolve("empty") + ":" + bin));

    assertThat(withPath.locate("pg_dump")).contains(program);
    assertThat(withPath.locate("pg_restore")).isEmpty();
  }

  @Test
  void thePasswordGoesOnlyIntoTheEnvironmentEvenWhenTheUrlCarriesIt() {
    DatasourceConfig inUrl =
        new DatasourceConfig(
            "pg",
            "jdbc:postgresql://db.example/shop?user=u1&password=" + PASSWORD,
            null,
            null,
            null);

    PgDumpCommand command = PgDumpCommand.of("pg_dump", inUrl, Path.of("/tmp/x.sql"));

    assertThat(command.argv())
        .containsSubsequence("--host", "db.example", "--port", "5432", "--username", "u1")
        .noneMatch(arg -> arg.contains(PASSWORD));
    assertThat(command.env()).containsEntry("PGPASSWORD", PASSWORD);
    assertThat(command.password()).isEqualTo(PASSWORD);
    assertThat(command.toString()).doesNotContain(PASSWORD);
    assertThat(command.writingTo(Path.of("/tmp/y")).argv()).endsWith("--file", "/tmp/y");
  }

  @Test
  void anUnknownDatasourceFailsNamingTheKnownOnes() throws Exception {
    StepResult result = run("nope", dir.resolve("x.sql"));

    assertThat(result.reason()).contains("unknown datasource 'nope'").contains("app, mysql, pg");
    assertThatThrownBy(
            () -> dump.plan(StepInput.of(Map.of("datasource", "nope", "file", "x")), context))
        .hasMessageContaining("unknown datasource 'nope'");
  }
}
