package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code type: sql}: one query or one statement on a datasource from config.
 *
 * <pre>
 * - id: users
 *   type: sql
 *   with:
 *     datasource: app                  # a name under datasources: in config
 *     query: select id, name from users where team = ?
 *     params: ["${{ params.team }}"]   # bound as JDBC parameters, never spliced into the SQL
 *     max_rows: 100                    # default 100
 *     schema: shop                     # default: the connection's default schema
 * - id: archive
 *   type: sql
 *   with:
 *     datasource: app
 *     statement: update users set archived = true where id = ?
 *     params: [42]
 * </pre>
 *
 * <p>Outputs of a query: {@code rows} (a list of maps from column label to value, at most {@code
 * max_rows}), {@code row_count} (rows kept), {@code columns} (labels in order) and {@code
 * truncated} (whether more rows were left out); the rows are written as a text table. Outputs of a
 * statement: {@code updated} (the update count). The statement runs in auto-commit mode. With
 * {@code schema}, the connection's current schema is set to it first (names without a schema are
 * looked up there); a schema the database does not have fails the step, naming it. The datasource
 * password is registered as a secret. A dry run never connects.
 */
public final class SqlStepType extends TypedStepType<SqlStepType.Input> {

  public static final String NAME = "sql";
  static final int DEFAULT_MAX_ROWS = 100;
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);

  private final IntentbotConfig config;

  public SqlStepType(IntentbotConfig config) {
    super(
        NAME,
        "Run a query (rows as outputs) or a statement (update count) on a configured datasource",
        Input.class);
    this.config = config;
  }

  /** The {@code with:} block. */
  record Input(
      String datasource,
      String query,
      String statement,
      List<Object> params,
      Long maxRows,
      String schema) {
    Input {
      if ((query == null) == (statement == null)) {
        throw new IllegalArgumentException("give exactly one of 'query' and 'statement'");
      }
      long rows = maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
      if (rows < 1 || rows > 1_000_000) {
        throw new IllegalArgumentException("'max_rows' must be between 1 and 1000000, got " + rows);
      }
      maxRows = rows;
      params = params == null ? List.of() : params;
      schema = SchemaNames.check(schema);
    }
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("updated", "rows", "row_count", "columns", "truncated"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Sql sql = Sql.from(input, config);
    List<String> details = new ArrayList<>();
    details.add(sql.text());
    if (!sql.params().isEmpty()) {
      details.add("params: " + sql.params());
    }
    return StepPlan.of(
        (sql.query() ? "would query" : "would run a statement on") + " " + sql.on(), details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Sql sql = Sql.from(input, config);
    DatasourceConfig datasource = sql.datasource();
    Datasources.protectPassword(datasource, context);
    AtomicReference<Statement> running = new AtomicReference<>();
    return InterruptibleCall.step(
        "sql-" + context.stepId(),
        () -> run(sql, running, context),
        () -> Datasources.cancel(running.get()),
        CANCEL_GRACE,
        () -> Cancellation.cancelled("the statement on " + sql.on() + " was cancelled"),
        cause -> sql.on() + ": " + InterruptibleCall.describe(cause, SQLException.class));
  }

  private static StepResult run(Sql sql, AtomicReference<Statement> running, StepContext context)
      throws SQLException {
    DatasourceConfig datasource = sql.datasource();
    try (Connection connection =
            DriverManager.getConnection(
                datasource.url(), datasource.user(), datasource.password());
        PreparedStatement statement = prepare(connection, sql)) {
      running.set(statement);
      for (int i = 0; i < sql.params().size(); i++) {
        statement.setObject(i + 1, sql.params().get(i));
      }
      if (!sql.query()) {
        long updated = statement.executeLargeUpdate();
        context.output().line(updated + (updated == 1 ? " row" : " rows") + " updated");
        return StepResult.succeeded(Map.of("updated", updated));
      }
      statement.setMaxRows(sql.maxRows() + 1);
      try (ResultSet resultSet = statement.executeQuery()) {
        return rows(resultSet, sql.maxRows(), context);
      }
    }
  }

  /** The statement, in the schema asked for: one the database does not have is an error. */
  private static PreparedStatement prepare(Connection connection, Sql sql) throws SQLException {
    if (sql.schema() != null) {
      if (!hasSchema(connection, sql.schema())) {
        throw new SQLException(
            "schema '"
                + sql.schema()
                + "' does not exist (create it, e.g. with a flyway step with this schema:)");
      }
      connection.setSchema(sql.schema());
    }
    return connection.prepareStatement(sql.text());
  }

  /** Compared as written: getSchemas' pattern would take {@code _} for any character. */
  private static boolean hasSchema(Connection connection, String schema) throws SQLException {
    try (ResultSet schemas = connection.getMetaData().getSchemas()) {
      while (schemas.next()) {
        if (schema.equals(schemas.getString("TABLE_SCHEM"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static StepResult rows(ResultSet resultSet, int maxRows, StepContext context)
      throws SQLException {
    ResultSetMetaData meta = resultSet.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean truncated = false;
    while (resultSet.next()) {
      if (rows.size() == maxRows) {
        truncated = true;
        break;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= columns.size(); i++) {
        row.put(columns.get(i - 1), SqlValues.toOutput(resultSet.getObject(i)));
      }
      rows.add(row);
    }
    TextTable.render(columns, rows).forEach(context.output()::line);
    context
        .output()
        .line(
            "("
                + rows.size()
                + (rows.size() == 1 ? " row" : " rows")
                + (truncated ? "; more were left out by max_rows" : "")
                + ")");
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("rows", rows);
    outputs.put("row_count", rows.size());
    outputs.put("columns", columns);
    outputs.put("truncated", truncated);
    return StepResult.succeeded(outputs);
  }

  /** The {@code with:} block with its datasource found. */
  private record Sql(
      DatasourceConfig datasource,
      String text,
      boolean query,
      List<Object> params,
      int maxRows,
      String schema) {

    static Sql from(Input input, IntentbotConfig config) {
      DatasourceConfig datasource = Datasources.find(config, input.datasource());
      boolean query = input.query() != null;
      String text = (query ? input.query() : input.statement()).strip();
      return new Sql(
          datasource,
          text,
          query,
          new ArrayList<>(input.params()),
          input.maxRows().intValue(),
          input.schema());
    }

    /** "datasource 'x'", or "schema 's' of datasource 'x'": where the SQL runs. */
    String on() {
      return SchemaNames.where(datasource.name(), schema);
    }
  }
}
