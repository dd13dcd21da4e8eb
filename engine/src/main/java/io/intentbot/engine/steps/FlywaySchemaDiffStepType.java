package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

/**
 * {@code type: flyway.schema-diff}: compares a datasource's live schema with the schema its own
 * migrations build, to find changes made by hand (drift).
 *
 * <pre>
 * - id: drift
 *   type: flyway.schema-diff
 *   with:
 *     datasource: web-production      # a name under datasources: in config (H2 or PostgreSQL)
 *     locations: [migrations/web]     # default: the datasource's migrations folder
 *     ignore_tables: [sessions]       # tables left out of the comparison
 * </pre>
 *
 * <p>The expected schema is built by Flyway from the same locations as the {@code flyway} step, up
 * to the live database's current version (pending migrations are not drift; {@code flyway validate}
 * reports them), in a shadow that leaves nothing behind (see {@code ShadowSchemas}): a private
 * in-memory H2 database, or on PostgreSQL a schema inside a transaction that is rolled back. The
 * live schema is only read. Tables, columns, normalised column types, nullability and primary keys
 * are compared; {@code flyway_schema_history} is ignored. A database baselined above version 0
 * cannot be compared (its early schema is in no migration) and fails the step.
 *
 * <p>Not {@link #pure()}, although it leaves nothing behind: the planner would otherwise build the
 * shadow for every submission, and an {@code assert} on {@code drift} would then refuse the run as
 * invalid input before it exists, instead of failing it with the differences in its output. The dry
 * run describes the comparison without connecting.
 *
 * <p>Drift does not fail the step: outputs {@code drift} (boolean), {@code missing_tables}, {@code
 * extra_tables}, {@code missing_columns} and {@code extra_columns} ({@code table.column}), {@code
 * changed_columns} (maps with {@code column}, {@code expected}, {@code live}), {@code changed_keys}
 * (maps with {@code table}, {@code expected}, {@code live}), {@code checked_tables}, {@code
 * summary} (one line naming the differences), {@code version} (the live version, "" for none),
 * {@code tables} and {@code columns} (the live tables and {@code table.column}s).
 */
public final class FlywaySchemaDiffStepType extends TypedStepType<FlywaySchemaDiffStepType.Input> {

  public static final String NAME = "flyway.schema-diff";
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(10);

  private final IntentbotConfig config;

  public FlywaySchemaDiffStepType(IntentbotConfig config) {
    super(
        NAME,
        "Compare a datasource's live schema with the one its migrations build (in a shadow"
            + " that leaves nothing behind): missing, extra and changed tables and columns",
        Input.class);
    this.config = config;
  }

  /** The {@code with:} block. */
  record Input(String datasource, List<String> locations, List<String> ignoreTables) {
    Input {
      locations = locations == null ? List.of() : locations;
      ignoreTables = ignoreTables == null ? List.of() : ignoreTables;
    }
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Diff diff = Diff.from(input, config, context.intentsDir());
    List<String> details = new ArrayList<>();
    details.add("locations: " + String.join(", ", diff.locations()));
    details.add("shadow: " + ShadowSchemas.describe(diff.datasource().url()));
    if (!diff.ignored().isEmpty()) {
      details.add("ignored tables: " + String.join(", ", diff.ignored()));
    }
    return StepPlan.of(
        "would compare the live schema of datasource '"
            + diff.datasource().name()
            + "' with the one its migrations build up to its current version",
        details);
  }

  /** Every file under the migration folders: they build the expected schema. */
  @Override
  protected List<Path> reads(Input input, StepContext context) {
    return Diff.from(input, config, context.intentsDir()).locations().stream()
        .map(MigrationLocations::folder)
        .toList();
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Diff diff = Diff.from(input, config, context.intentsDir());
    DatasourceConfig datasource = diff.datasource();
    Datasources.protectPassword(datasource, context);
    return InterruptibleCall.step(
        "schema-diff-" + context.stepId(),
        () -> run(diff, context.output()),
        () -> {},
        CANCEL_GRACE,
        () ->
            Cancellation.cancelled(
                "the schema comparison of datasource '" + datasource.name() + "' was cancelled"),
        cause ->
            "cannot compare the schema of datasource '"
                + datasource.name()
                + "': "
                + InterruptibleCall.describe(
                    cause, SQLException.class, FlywayException.class, IllegalStateException.class));
  }

  private static StepResult run(Diff diff, StepOutput out) throws SQLException {
    DatasourceConfig datasource = diff.datasource();
    String version = liveVersion(diff);
    ShadowSchemas.Snapshots snapshots =
        ShadowSchemas.compare(
            datasource.url(),
            datasource.user(),
            datasource.password(),
            diff.locations(),
            version,
            diff.ignored());
    SchemaDrift drift = SchemaDrift.between(snapshots.expected(), snapshots.live());
    String at = version == null ? "no migration applied" : "version " + version;
    out.line(
        "compared "
            + drift.checkedTables()
            + " table(s) of datasource '"
            + datasource.name()
            + "' ("
            + at
            + ") with its migrations, built in "
            + snapshots.shadow());
    if (drift.drift()) {
      out.line("drift: " + drift.count() + " difference(s)");
      TextTable.render(List.of("difference", "name", "migrations", "live"), drift.rows())
          .forEach(out::line);
    } else {
      out.line("no drift: the live schema matches the migrations");
    }
    Map<String, Object> outputs = new LinkedHashMap<>(drift.outputs());
    outputs.put("version", version == null ? "" : version);
    outputs.put("tables", List.copyOf(snapshots.live().tables().keySet()));
    outputs.put("columns", snapshots.live().columnNames());
    return StepResult.succeeded(outputs);
  }

  /** The live database's current version, or null before the first migration. */
  private static String liveVersion(Diff diff) {
    DatasourceConfig datasource = diff.datasource();
    MigrationInfoService info =
        Flyway.configure()
            .dataSource(datasource.url(), datasource.user(), datasource.password())
            .locations(diff.locations().toArray(String[]::new))
            .cleanDisabled(true)
            .load()
            .info();
    for (MigrationInfo applied : info.applied()) {
      if (applied.getType().isBaseline()
          && applied.getVersion() != null
          && !applied.getVersion().getVersion().equals("0")) {
        throw new IllegalStateException(
            "it was baselined at version "
                + applied.getVersion()
                + ", so its schema before then is in no migration");
      }
    }
    MigrationInfo current = info.current();
    return current == null || current.getVersion() == null
        ? null
        : current.getVersion().getVersion();
  }

  /** The {@code with:} block with its datasource and locations found. */
  private record Diff(DatasourceConfig datasource, List<String> locations, Set<String> ignored) {

    static Diff from(Input input, IntentbotConfig config, Path intentsDir) {
      DatasourceConfig datasource = Datasources.find(config, input.datasource());
      if (!ShadowSchemas.supports(datasource.url())) {
        throw new IllegalArgumentException(
            "datasource '"
                + datasource.name()
                + "' is neither H2 nor PostgreSQL; schema comparison supports those two");
      }
      List<String> locations =
          MigrationLocations.resolve(input.locations(), datasource, intentsDir);
      Set<String> ignored = new LinkedHashSet<>();
      input.ignoreTables().forEach(t -> ignored.add(t.trim().toLowerCase(Locale.ROOT)));
      return new Diff(datasource, locations, ignored);
    }
  }
}
