package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * {@code type: flyway.undo}: rolls a datasource back to a migration version with paired undo
 * scripts, since Flyway's own undo is not in its community edition.
 *
 * <pre>
 * - id: undo
 *   type: flyway.undo
 *   with:
 *     datasource: web-production
 *     to: "1"                     # version 1 stays applied; 0 undoes everything
 *     locations: [migrations/web] # default: the datasource's migrations folder
 * </pre>
 *
 * <p>Every applied migration above {@code to} needs a script {@code U<version>__<anything>.sql}
 * next to its {@code V} script; one missing refuses the step before anything runs (the dry run says
 * so too). The scripts run newest first on one connection in one transaction, and each undone
 * version's row leaves {@code flyway_schema_history} in the same transaction; a failure rolls back.
 * Databases that commit DDL implicitly (H2, MySQL) cannot roll back DDL: the output says whether
 * the database can. Statements are split at semicolons that end a line ({@code --} comments
 * dropped), so an undo script must not hold procedural blocks.
 *
 * <p>Outputs: {@code from_version}, {@code current_version}, {@code undone} (maps with {@code
 * version}, {@code script}), {@code count}, {@code transactional_ddl}.
 */
public final class FlywayUndoStepType extends TypedStepType<FlywayUndoStepType.Input> {

  public static final String NAME = "flyway.undo";
  private static final Pattern UNDO = Pattern.compile("^U(.+?)__.*\\.sql$");
  private static final String HISTORY = "flyway_schema_history";

  private final IntentbotConfig config;

  public FlywayUndoStepType(IntentbotConfig config) {
    super(
        NAME,
        "Roll a datasource back to a migration version with paired U<version>__*.sql undo"
            + " scripts, in one transaction",
        Input.class);
    this.config = config;
  }

  /** The {@code with:} block. */
  record Input(String datasource, String to, List<String> locations) {
    Input {
      to = to == null ? null : to.trim();
      if (to != null && !to.matches("\\d+([._]\\d+)*")) {
        throw new IllegalArgumentException(
            "'to' must be a version such as 3 or 1.2, got '" + to + "'");
      }
      locations = locations == null ? List.of() : locations;
    }
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of("from_version", "current_version", "undone", "count", "transactional_ddl"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Undo undo = Undo.from(input, config, context.intentsDir());
    List<Script> scripts;
    try {
      scripts = undo.scripts();
    } catch (FlywayException e) {
      return StepPlan.of(
          "would roll datasource '" + undo.datasource().name() + "' back to version " + undo.to(),
          List.of("applied migrations unknown: " + e.getMessage()));
    }
    List<String> details = new ArrayList<>();
    scripts.forEach(s -> details.add("undo " + s.version() + " with " + s.file().getFileName()));
    if (scripts.isEmpty()) {
      details.add("nothing to undo: version " + undo.to() + " is current");
    }
    return StepPlan.of(
        "would roll datasource '"
            + undo.datasource().name()
            + "' back to version "
            + undo.to()
            + " in one transaction",
        details);
  }

  /** A Flyway failure (the history cannot be read) fails the step with its message. */
  @Override
  protected boolean failsTheStep(RuntimeException e) {
    return super.failsTheStep(e) || e instanceof FlywayException;
  }

  /** Every file under the migration folders, undo scripts among them. */
  @Override
  protected List<Path> reads(Input input, StepContext context) {
    return Undo.from(input, config, context.intentsDir()).folders();
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Undo undo = Undo.from(input, config, context.intentsDir());
    List<Script> scripts = undo.scripts();
    DatasourceConfig datasource = undo.datasource();
    Datasources.protectPassword(datasource, context);
    String from = undo.currentVersion();
    List<Map<String, Object>> undone = new ArrayList<>();
    boolean transactionalDdl;
    try (Connection connection =
        DriverManager.getConnection(datasource.url(), datasource.user(), datasource.password())) {
      transactionalDdl =
          connection.getMetaData().supportsDataDefinitionAndDataManipulationTransactions();
      context
          .output()
          .line(
              transactionalDdl
                  ? "one transaction: schema changes roll back together on failure"
                  : "note: this database commits schema changes (DDL) at once; a failure rolls"
                      + " back data changes only");
      connection.setAutoCommit(false);
      try {
        for (Script script : scripts) {
          if (Thread.currentThread().isInterrupted()) {
            throw new SQLException("cancelled before undoing " + script.version());
          }
          run(connection, script);
          undone.add(
              Map.of(
                  "version", script.version(), "script", script.file().getFileName().toString()));
          context
              .output()
              .line("undid " + script.version() + " (" + script.file().getFileName() + ")");
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        return StepResult.failed(
            "undo on datasource '"
                + datasource.name()
                + "' failed and was rolled back"
                + (transactionalDdl ? "" : " (schema changes already made stay)")
                + ": "
                + e.getMessage(),
            Map.of("from_version", from, "undone", List.of(), "count", 0));
      }
    } catch (SQLException e) {
      return StepResult.failed("datasource '" + datasource.name() + "': " + e.getMessage());
    }
    if (scripts.isEmpty()) {
      context.output().line("nothing to undo: version " + undo.to() + " is current");
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("from_version", from);
    outputs.put("current_version", undo.currentVersion());
    outputs.put("undone", undone);
    outputs.put("count", undone.size());
    outputs.put("transactional_ddl", transactionalDdl);
    return StepResult.succeeded(outputs);
  }

  private static void run(Connection connection, Script script) throws SQLException {
    for (String sql : statements(script.file())) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }
    try (PreparedStatement delete =
        connection.prepareStatement("delete from \"" + HISTORY + "\" where \"version\" = ?")) {
      delete.setString(1, script.version());
      delete.executeUpdate();
    }
  }

  static List<String> statements(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }

  /** One undo script and the version it reverses. */
  record Script(String version, Path file) {}

  /** The {@code with:} block with its datasource and folders found. */
  private record Undo(DatasourceConfig datasource, String to, List<Path> folders) {

    static Undo from(Input input, IntentbotConfig config, Path intentsDir) {
      DatasourceConfig datasource = Datasources.find(config, input.datasource());
      String to = input.to();
      List<Path> folders =
          MigrationLocations.resolve(input.locations(), datasource, intentsDir).stream()
              .map(MigrationLocations::folder)
              .toList();
      return new Undo(datasource, to.replace('_', '.'), folders);
    }

    Flyway flyway() {
      return Flyway.configure()
          .dataSource(datasource.url(), datasource.user(), datasource.password())
          .locations(folders.stream().map(f -> "filesystem:" + f).toArray(String[]::new))
          .cleanDisabled(true)
          .load();
    }

    String currentVersion() {
      MigrationInfo current = flyway().info().current();
      return current == null || current.getVersion() == null
          ? ""
          : current.getVersion().getVersion();
    }

    /**
     * The undo scripts to run, newest version first.
     *
     * @throws IllegalArgumentException when {@code to} is not applied or a script is missing
     */
    List<Script> scripts() {
      MigrationVersion target = MigrationVersion.fromVersion(to);
      List<MigrationInfo> applied = new ArrayList<>();
      boolean targetApplied = to.equals("0");
      for (MigrationInfo info : flyway().info().applied()) {
        if (info.getVersion() == null || info.getState() != MigrationState.SUCCESS) {
          continue;
        }
        if (info.getVersion().compareTo(target) == 0) {
          targetApplied = true;
        } else if (info.getVersion().compareTo(target) > 0) {
          applied.add(info);
        }
      }
      if (!targetApplied) {
        throw new IllegalArgumentException(
            "version "
                + to
                + " is not applied on datasource '"
                + datasource.name()
                + "'; applied versions: "
                + String.join(", ", appliedVersions()));
      }
      applied.sort(Comparator.comparing(MigrationInfo::getVersion).reversed());
      Map<MigrationVersion, Path> undoFiles = undoFiles();
      List<Script> scripts = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (MigrationInfo info : applied) {
        Path file = undoFiles.get(info.getVersion());
        if (file == null) {
          missing.add(
              "U" + info.getVersion().getVersion() + "__*.sql (undoes " + info.getScript() + ")");
        } else {
          scripts.add(new Script(info.getVersion().getVersion(), file));
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            "cannot roll datasource '"
                + datasource.name()
                + "' back to version "
                + to
                + ": missing undo script(s) "
                + String.join(", ", missing)
                + "; nothing was changed");
      }
      return scripts;
    }

    private List<String> appliedVersions() {
      List<String> versions = new ArrayList<>();
      for (MigrationInfo info : flyway().info().applied()) {
        if (info.getVersion() != null) {
          versions.add(info.getVersion().getVersion());
        }
      }
      return versions.isEmpty() ? List.of("none") : versions;
    }

    private Map<MigrationVersion, Path> undoFiles() {
      Map<MigrationVersion, Path> files = new LinkedHashMap<>();
      for (Path folder : folders) {
        try (Stream<Path> list = Files.list(folder)) {
          list.sorted()
              .forEach(
                  file -> {
                    Matcher m = UNDO.matcher(file.getFileName().toString());
                    if (m.matches()) {
                      files.putIfAbsent(
                          MigrationVersion.fromVersion(m.group(1).replace('_', '.')), file);
                    }
                  });
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + folder, e);
        }
      }
      return files;
    }
  }
}
