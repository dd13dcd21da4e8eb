package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepOutput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * {@code type: flyway}: Flyway {@code info}, {@code validate} or {@code migrate} on a datasource
 * from config.
 *
 * <pre>
 * - id: migrate
 *   type: flyway
 *   with:
 *     datasource: app                 # a name under datasources: in config
 *     action: migrate                 # info | validate | migrate
 *     locations: [db/app]             # default: the datasource's migrations folder
 *     target: "3"                     # default: latest
 *     schema: shop                    # default: the connection's default schema
 * </pre>
 *
 * <p>Locations are folders relative to the intents folder ({@code filesystem:} prefix optional); a
 * missing folder is an error rather than "no migrations". With {@code schema}, the migrations run
 * in that schema (created by migrate when missing) and Flyway keeps its history table there, so
 * several sets of migrations can share one database without their versions or checksums meeting
 * (create-nextjs-app gives each app a schema of its own in one apps database). The name is used as
 * written (Flyway quotes it, so case matters). Outputs:
 *
 * <ul>
 *   <li>every action: {@code current_version} ("" before the first migration) and {@code pending}
 *       (every migration not applied yet, whatever the target: maps with {@code version}, {@code
 *       description}, {@code script});
 *   <li>{@code info}: {@code migrations} (maps with {@code version}, {@code description}, {@code
 *       script}, {@code state});
 *   <li>{@code validate}: {@code valid} and {@code errors}; invalid migrations (a changed checksum,
 *       an applied migration that disappeared) fail the step, pending ones do not;
 *   <li>{@code migrate}: {@code applied} (how many ran) and {@code migrations} (the applied ones).
 * </ul>
 *
 * <p>The dry run connects (read only) and lists the pending migrations. On interruption, migrate
 * finishes the migration in progress and stops before the next one.
 */
public final class FlywayStepType extends TypedStepType<FlywayStepType.Input> {

  public static final String NAME = "flyway";
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(30);

  private final IntentbotConfig config;

  public FlywayStepType(IntentbotConfig config) {
    super(
        NAME,
        "Flyway info, validate or migrate (up to a target) on a configured datasource; the dry"
            + " run lists pending migrations",
        Input.class);
    this.config = config;
  }

  /** The {@code with:} block. */
  record Input(
      String datasource, String action, List<String> locations, String target, String schema) {
    Input {
      action = action == null ? null : action.trim().toLowerCase(Locale.ROOT);
      if (action != null && !List.of("info", "validate", "migrate").contains(action)) {
        throw new IllegalArgumentException(
            "'action' must be one of info, validate, migrate, got '" + action + "'");
      }
      locations = locations == null ? List.of() : locations;
      target = target == null ? null : target.trim();
      schema = SchemaNames.check(schema);
    }
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of("current_version", "pending", "migrations", "valid", "errors", "applied"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Job job = Job.from(input, config, context.intentsDir());
    String on = job.on();
    String summary =
        switch (job.action()) {
          case "info" -> "would list the migrations of " + on;
          case "validate" -> "would validate the applied migrations of " + on;
          default ->
              "would migrate "
                  + on
                  + (job.target() == null
                      ? " to the latest version"
                      : " to version " + job.target());
        };
    List<String> details = new ArrayList<>();
    details.add("locations: " + String.join(", ", job.locations()));
    try {
      MigrationInfoService info = job.flyway(null, null).info();
      MigrationInfo[] pending = info.pending();
      String current = currentVersion(info);
      details.add("current version: " + (current.isEmpty() ? "none" : current));
      details.add(pending.length == 0 ? "no pending migrations" : "pending migrations:");
      for (MigrationInfo migration : pending) {
        details.add("  " + describe(migration));
      }
    } catch (FlywayException e) {
      details.add("pending migrations unknown: " + e.getMessage());
    }
    return StepPlan.of(summary, details);
  }

  /** Every file under the migration folders: the plan binds the scripts that will run. */
  @Override
  protected List<Path> reads(Input input, StepContext context) {
    return Job.from(input, config, context.intentsDir()).locations().stream()
        .map(MigrationLocations::folder)
        .toList();
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Job job = Job.from(input, config, context.intentsDir());
    DatasourceConfig datasource = job.datasource();
    Datasources.protectPassword(datasource, context);
    AtomicBoolean stop = new AtomicBoolean();
    List<Map<String, Object>> applied = new CopyOnWriteArrayList<>();
    String what = "flyway " + job.action() + " on " + job.on();
    return InterruptibleCall.step(
        "flyway-" + context.stepId(),
        () -> run(job, stop, applied, context.output()),
        () -> stop.set(true),
        CANCEL_GRACE,
        () ->
            Cancellation.cancelled(
                what + " stopped after " + applied.size() + " applied migration(s)",
                Map.of("applied", applied.size(), "migrations", List.copyOf(applied))),
        cause -> what + " failed: " + InterruptibleCall.describe(cause, FlywayException.class));
  }

  private static StepResult run(
      Job job, AtomicBoolean stop, List<Map<String, Object>> applied, StepOutput out) {
    return switch (job.action()) {
      case "info" -> info(job, out);
      case "validate" -> validate(job, out);
      default -> migrate(job, stop, applied, out);
    };
  }

  private static StepResult info(Job job, StepOutput out) {
    MigrationInfoService info = job.flyway(null, null).info();
    List<Map<String, Object>> migrations = new ArrayList<>();
    for (MigrationInfo migration : info.all()) {
      Map<String, Object> entry = migration(migration);
      entry.put("state", migration.getState().getDisplayName());
      migrations.add(entry);
      out.line(describe(migration) + " " + migration.getState().getDisplayName());
    }
    if (migrations.isEmpty()) {
      out.line("no migrations found");
    }
    Map<String, Object> outputs = versions(job);
    outputs.put("migrations", migrations);
    return StepResult.succeeded(outputs);
  }

  private static StepResult validate(Job job, StepOutput out) {
    Flyway flyway = job.flyway(null, null);
    ValidateResult result = flyway.validateWithResult();
    List<String> errors = new ArrayList<>();
    if (result.invalidMigrations != null) {
      for (ValidateOutput invalid : result.invalidMigrations) {
        String message =
            invalid.errorDetails == null ? "invalid" : invalid.errorDetails.errorMessage;
        errors.add(message);
      }
    }
    if (errors.isEmpty() && !result.validationSuccessful && result.errorDetails != null) {
      errors.add(result.errorDetails.errorMessage);
    }
    Map<String, Object> outputs = versions(job);
    outputs.put("valid", result.validationSuccessful);
    outputs.put("errors", errors);
    if (result.validationSuccessful) {
      out.line("valid: " + result.validateCount + " migration(s) checked");
      return StepResult.succeeded(outputs);
    }
    errors.forEach(error -> out.line("invalid: " + error));
    return StepResult.failed(
        "migrations of " + job.on() + " are not valid: " + String.join("; ", errors), outputs);
  }

  private static StepResult migrate(
      Job job, AtomicBoolean stop, List<Map<String, Object>> applied, StepOutput out) {
    Flyway flyway =
        job.flyway(
            stop,
            migration -> {
              applied.add(migration(migration));
              out.line("applied " + describe(migration));
            });
    MigrateResult result = flyway.migrate();
    if (result.migrationsExecuted == 0) {
      out.line("nothing to migrate");
    }
    Map<String, Object> outputs = versions(job);
    outputs.put("applied", result.migrationsExecuted);
    outputs.put("migrations", List.copyOf(applied));
    return StepResult.succeeded(outputs);
  }

  /** The current version and every migration not applied yet, whatever the target. */
  private static Map<String, Object> versions(Job job) {
    MigrationInfoService info = job.withoutTarget().flyway(null, null).info();
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("current_version", currentVersion(info));
    List<Map<String, Object>> pending = new ArrayList<>();
    for (MigrationInfo migration : info.pending()) {
      pending.add(migration(migration));
    }
    outputs.put("pending", pending);
    return outputs;
  }

  private static String currentVersion(MigrationInfoService info) {
    MigrationInfo current = info.current();
    return current == null || current.getVersion() == null ? "" : current.getVersion().getVersion();
  }

  private static Map<String, Object> migration(MigrationInfo migration) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("version", version(migration));
    entry.put("description", migration.getDescription());
    entry.put("script", migration.getScript());
    return entry;
  }

  private static String version(MigrationInfo migration) {
    return migration.getVersion() == null ? "" : migration.getVersion().getVersion();
  }

  private static String describe(MigrationInfo migration) {
    String version = version(migration);
    return (version.isEmpty() ? "(repeatable)" : version)
        + " - "
        + migration.getDescription()
        + " ("
        + migration.getScript()
        + ")";
  }

  /** Called after each applied migration. */
  @FunctionalInterface
  private interface AppliedListener {
    void applied(MigrationInfo migration);
  }

  /** Reports each applied migration and stops before the next one once cancelled. */
  private record Progress(AtomicBoolean stop, AppliedListener listener) implements Callback {

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      if (event == Event.BEFORE_EACH_MIGRATE && stop.get()) {
        throw new FlywayException("cancelled");
      }
      if (event == Event.AFTER_EACH_MIGRATE) {
        listener.applied(context.getMigrationInfo());
      }
    }

    @Override
    public String getCallbackName() {
      return "intentbot-progress";
    }
  }

  /** The validated {@code with:} block. */
  private record Job(
      DatasourceConfig datasource,
      String action,
      List<String> locations,
      String target,
      String schema) {

    static Job from(Input input, IntentbotConfig config, Path intentsDir) {
      DatasourceConfig datasource = Datasources.find(config, input.datasource());
      List<String> locations =
          MigrationLocations.resolve(input.locations(), datasource, intentsDir);
      return new Job(datasource, input.action(), locations, input.target(), input.schema());
    }

    Job withoutTarget() {
      return new Job(datasource, action, locations, null, schema);
    }

    /** "datasource 'x'", or "schema 's' of datasource 'x'": what the step works on. */
    String on() {
      return SchemaNames.where(datasource.name(), schema);
    }

    Flyway flyway(AtomicBoolean stop, AppliedListener listener) {
      FluentConfiguration configuration =
          Flyway.configure()
              .dataSource(datasource.url(), datasource.user(), datasource.password())
              .locations(locations.toArray(String[]::new))
              .cleanDisabled(true);
      if (target != null) {
        configuration.target(target);
      }
      if (schema != null) {
        configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
      }
      if (action.equals("validate")) {
        configuration.ignoreMigrationPatterns("*:future", "*:pending");
      }
      if (listener != null) {
        configuration.callbacks(new Progress(stop, listener));
      }
      return configuration.load();
    }
  }
}
