package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.process.OutputCapture;
import io.intentbot.engine.process.ProcessRequest;
import io.intentbot.engine.process.ProcessResult;
import io.intentbot.engine.process.ProcessRunner;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code type: sql.dump}: dumps a datasource from config to a new file, as plain SQL.
 *
 * <pre>
 * - id: dump
 *   type: sql.dump
 *   with:
 *     datasource: app                         # a name under datasources: in config
 *     file: /var/backups/app-r-123.sql        # relative: to the bot's working directory
 * </pre>
 *
 * <p>H2 datasources are dumped with {@code SCRIPT TO}; PostgreSQL ones with the {@code pg_dump}
 * program (plain format, {@code --no-owner}), run as a process with host, port, database and user
 * from the JDBC URL and the password only in {@code PGPASSWORD}, through {@link ProcessRunner} (no
 * other variable of the bot's but PATH, HOME, LANG and TZ). Its stderr is streamed with the prefix
 * {@value ShellStepType#STDERR_PREFIX}. Other databases fail with "dump not supported". The program
 * is {@code pg_dump} on PATH unless config ({@code pg_dump: { binary: PATH }}) or the variable
 * {@value #BINARY_ENV} names another.
 *
 * <p>Missing parent folders are created; an existing file is never overwritten. The dump is written
 * to a hidden file next to the target and moved into place only when complete, so a failed or
 * cancelled dump leaves nothing behind. Outputs: {@code file} (absolute path), {@code bytes},
 * {@code engine} ({@code h2} or {@code postgresql}) and {@code tables} (how many tables the
 * database had). A dry run writes nothing and does not connect.
 */
public final class SqlDumpStepType extends TypedStepType<SqlDumpStepType.Input> {

  public static final String NAME = "sql.dump";
  public static final String BINARY_ENV = "INTENTBOT_PG_DUMP";
  static final String INSTALL_HINT =
      "install the PostgreSQL client (e.g. 'apt-get install postgresql-client'), or set"
          + " pg_dump.binary in the intentbot config or "
          + BINARY_ENV
          + " to its path";

  private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);
  private static final int STDERR_LIMIT = 16 * 1024;
  private static final String H2_TABLES =
      "select count(*) from information_schema.tables"
          + " where table_type = 'BASE TABLE' and table_schema <> 'INFORMATION_SCHEMA'";
  private static final String POSTGRES_TABLES =
      "select count(*) from information_schema.tables where table_type = 'BASE TABLE'"
          + " and table_schema not in ('pg_catalog', 'information_schema')";

  private final IntentbotConfig config;
  private final Map<String, String> environment;
  private final ProcessRunner runner;

  public SqlDumpStepType(IntentbotConfig config) {
    this(config, System.getenv());
  }

  /** With the process environment given, for the binary's variable and PATH. */
  SqlDumpStepType(IntentbotConfig config, Map<String, String> environment) {
    super(
        NAME,
        "Dump a configured datasource to a new SQL file (H2 SCRIPT, PostgreSQL pg_dump); never"
            + " overwrites",
        Input.class);
    this.config = config;
    this.environment = Map.copyOf(environment);
    this.runner = new ProcessRunner(this.environment, ProcessRunner.DEFAULT_GRACE);
  }

  /** The {@code with:} block. */
  record Input(String datasource, String file) {
    Input {
      file = file == null ? null : file.strip();
      if (file != null && file.isEmpty()) {
        throw new IllegalArgumentException("'file' must not be empty");
      }
    }
  }

  /** The pg_dump program: config {@code pg_dump.binary}, else {@value #BINARY_ENV}, else PATH. */
  String binary() {
    Object configured = config.section("pg_dump").get("binary");
    if (configured != null && !String.valueOf(configured).isBlank()) {
      return String.valueOf(configured);
    }
    String variable = environment.get(BINARY_ENV);
    return variable == null || variable.isBlank() ? "pg_dump" : variable;
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("file", "bytes", "engine", "tables", "exit_code", "stderr"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Dump dump = Dump.from(input, config);
    List<String> details = new ArrayList<>();
    String summary =
        "would dump datasource '"
            + dump.datasource().name()
            + "' ("
            + dump.engine()
            + ") to "
            + dump.file();
    switch (dump.engine()) {
      case "h2" -> details.add("with H2's SCRIPT TO");
      case "postgresql" -> {
        PgDumpCommand command = PgDumpCommand.of(binary(), dump.datasource(), dump.file());
        details.add("$ " + ShellStepType.display(command.argv()));
        if (locate(binary()).isEmpty()) {
          details.add("fails: " + missingBinary());
        }
      }
      default -> details.add("fails: " + unsupported(dump));
    }
    if (Files.exists(dump.file())) {
      details.add("fails: " + dump.file() + " already exists (a dump is never overwritten)");
    } else if (!Files.isDirectory(dump.file().getParent())) {
      details.add("creates the folder " + dump.file().getParent());
    }
    return StepPlan.of(summary, details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Dump dump = Dump.from(input, config);
    DatasourceConfig datasource = dump.datasource();
    Datasources.protectPassword(datasource, context);
    PgDumpCommand command = null;
    if (dump.engine().equals("postgresql")) {
      try {
        command = PgDumpCommand.of(binary(), datasource, dump.file());
      } catch (IllegalArgumentException e) {
        return StepResult.failed(e.getMessage());
      }
      if (command.password() != null) {
        context.addSecret(command.password());
      }
      if (locate(binary()).isEmpty()) {
        return StepResult.failed(missingBinary());
      }
    } else if (!dump.engine().equals("h2")) {
      return StepResult.failed(unsupported(dump));
    }
    if (Files.exists(dump.file())) {
      return StepResult.failed(dump.file() + " already exists; a dump is never overwritten");
    }
    Path partial;
    try {
      Files.createDirectories(dump.file().getParent());
      partial =
          Files.createTempFile(
              dump.file().getParent(), "." + dump.file().getFileName() + ".", ".partial");
    } catch (IOException e) {
      return StepResult.failed("cannot write " + dump.file() + ": " + e);
    }
    try {
      return dumpTo(dump, command, partial, context);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // a leftover hidden .partial file is harmless
      }
    }
  }

  private StepResult dumpTo(Dump dump, PgDumpCommand command, Path partial, StepContext context) {
    String what = "datasource '" + dump.datasource().name() + "'";
    AtomicReference<Statement> running = new AtomicReference<>();
    long tables;
    try {
      tables =
          InterruptibleCall.call(
              "sql-dump-" + context.stepId(),
              () -> command == null ? h2Script(dump, partial, running) : countTables(dump, running),
              () -> Datasources.cancel(running.get()),
              CANCEL_GRACE);
    } catch (InterruptedException e) {
      return Cancellation.cancelled("the dump of " + what + " was cancelled");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return StepResult.failed(
          what + ": " + (cause instanceof SQLException ? cause.getMessage() : cause));
    }
    StepOutput out = context.output();
    out.line(
        "dumping "
            + what
            + " ("
            + dump.engine()
            + ", "
            + tables
            + (tables == 1 ? " table" : " tables")
            + ") to "
            + dump.file());
    if (command != null) {
      StepResult result = pgDump(command, partial, out);
      if (result != null) {
        return result;
      }
    }
    try {
      Files.move(partial, dump.file());
      long bytes = Files.size(dump.file());
      out.line("wrote " + dump.file() + " (" + bytes + " bytes)");
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("file", dump.file().toString());
      outputs.put("bytes", bytes);
      outputs.put("engine", dump.engine());
      outputs.put("tables", tables);
      return StepResult.succeeded(outputs);
    } catch (FileAlreadyExistsException e) {
      return StepResult.failed(
          dump.file() + " appeared while dumping; a dump is never overwritten");
    } catch (IOException e) {
      return StepResult.failed("cannot move the dump into " + dump.file() + ": " + e);
    }
  }

  private static long h2Script(Dump dump, Path partial, AtomicReference<Statement> running)
      throws SQLException {
    try (Connection connection = connect(dump.datasource())) {
      long tables = count(connection, H2_TABLES, running);
      try (PreparedStatement script = connection.prepareStatement("SCRIPT TO ?")) {
        running.set(script);
        script.setString(1, partial.toString());
        script.execute();
      }
      return tables;
    }
  }

  private static long countTables(Dump dump, AtomicReference<Statement> running)
      throws SQLException {
    try (Connection connection = connect(dump.datasource())) {
      return count(connection, POSTGRES_TABLES, running);
    }
  }

  private static long count(Connection connection, String sql, AtomicReference<Statement> running)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      running.set(statement);
      try (ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static Connection connect(DatasourceConfig datasource) throws SQLException {
    return DriverManager.getConnection(datasource.url(), datasource.user(), datasource.password());
  }

  /** Runs pg_dump into {@code partial}; null when it succeeded, else the failure. */
  private StepResult pgDump(PgDumpCommand command, Path partial, StepOutput out) {
    List<String> argv = command.writingTo(partial).argv();
    out.line("$ " + ShellStepType.display(argv));
    ProcessResult result;
    try {
      result =
          runner.run(
              new ProcessRequest(argv, null, command.env(), STDERR_LIMIT, null),
              out::line,
              line -> out.line(ShellStepType.STDERR_PREFIX + line));
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("error=2,") || message.contains("error=13,")) {
        return StepResult.failed(missingBinary());
      }
      return StepResult.failed("could not start " + binary() + ": " + message);
    } catch (ProcessRunner.Stopped e) {
      return Cancellation.cancelled("stopped pg_dump (pid " + e.pid() + "); no dump was written");
    }
    int exitCode = result.exitCode();
    if (exitCode == 0) {
      return null;
    }
    OutputCapture stderr = result.stderr();
    String last = stderr.lastLine();
    String hint =
        stderr.text().contains("server version mismatch")
            ? "; use a pg_dump at least as new as the server (pg_dump.binary or " + BINARY_ENV + ")"
            : "";
    return StepResult.failed(
        "pg_dump exited with code "
            + exitCode
            + (last.isEmpty() ? " (no stderr output)" : ": " + last)
            + hint,
        Map.of("exit_code", exitCode, "stderr", stderr.text()));
  }

  private String missingBinary() {
    return "pg_dump not found ('" + binary() + "'): " + INSTALL_HINT;
  }

  private static String unsupported(Dump dump) {
    return "dump not supported for "
        + dump.engine()
        + " (datasource '"
        + dump.datasource().name()
        + "'); sql.dump handles h2 and postgresql";
  }

  /** The program as the process would find it: a path, or a name looked up on PATH. */
  Optional<Path> locate(String program) {
    if (program.contains(File.separator)) {
      Path path = Path.of(program);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String searchPath = environment.getOrDefault("PATH", "");
    for (String folder : searchPath.split(File.pathSeparator)) {
      if (folder.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(folder, program);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The {@code with:} block with its datasource found. */
  private record Dump(DatasourceConfig datasource, String engine, Path file) {

    static Dump from(Input input, IntentbotConfig config) {
      DatasourceConfig datasource = Datasources.find(config, input.datasource());
      return new Dump(
          datasource, engine(datasource.url()), Path.of(input.file()).toAbsolutePath().normalize());
    }

    /** {@code h2}, {@code postgresql}, or the JDBC subprotocol of another database. */
    private static String engine(String url) {
      String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("jdbc:")) {
        return "an unknown database (URL does not start with jdbc:)";
      }
      String rest = lower.substring("jdbc:".length());
      int colon = rest.indexOf(':');
      return colon < 0 ? rest : rest.substring(0, colon);
    }
  }
}
