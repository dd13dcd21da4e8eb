package io.intentbot.bench;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.JdbcAuditStore;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The engine in this JVM, built as the bot builds it, on intents written to a folder. */
final class LocalEngine implements AutoCloseable {

  final Engine engine;
  private final JdbcAuditStore store;

  private LocalEngine(Engine engine, JdbcAuditStore store) {
    this.engine = engine;
    this.store = store;
  }

  /**
   * The bot's bench config without its {@code slack:} section, which only the bot's config loader
   * knows (the bot module, which declares it, is not on the bench's classpath).
   */
  static final String CONFIG =
      """
      apps: [web]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
      """;

  static IntentbotConfig config() {
    return new ConfigLoader(name -> null).parse(CONFIG, "intentbot.yaml");
  }

  static StepTypeRegistry registry(IntentbotConfig config) {
    return StepTypeRegistry.builder().registerAll(BuiltinStepTypes.all(config)).build();
  }

  static LocalEngine start(
      Path dir,
      Map<String, String> intents,
      String dbUrl,
      String user,
      String password,
      int maxRuns)
      throws Exception {
    Path intentsDir = Files.createDirectories(dir.resolve("intents"));
    for (var intent : intents.entrySet()) {
      Files.writeString(intentsDir.resolve(intent.getKey() + ".yaml"), intent.getValue());
    }
    IntentbotConfig config = config();
    StepTypeRegistry registry = registry(config);
    IntentCatalog catalog = new IntentLoader(registry).load(intentsDir);
    if (!catalog.problems().isEmpty()) {
      throw new IllegalStateException("bench intents do not load: " + catalog.problems());
    }
    JdbcAuditStore store = AuditStores.open(dbUrl, user, password);
    Engine engine =
        Engine.builder()
            .config(config)
            .catalog(catalog)
            .stepTypes(registry)
            .auditStore(store)
            .maxConcurrentRuns(maxRuns)
            .build();
    engine.start();
    return new LocalEngine(engine, store);
  }

  /** Submits a run; fails unless it started. Returns its id. */
  String submit(String intent) {
    Submission s = engine.submit(RunRequest.of(intent, List.of(), "U0BENCH"));
    if (!(s instanceof Submission.Started started)) {
      throw new IllegalStateException(intent + " did not start: " + s);
    }
    return started.run().id();
  }

  /** Waits for a run; fails unless it succeeded. */
  RunRecord await(String runId, Duration timeout) throws InterruptedException {
    RunRecord run =
        engine
            .awaitFinished(runId, timeout)
            .orElseThrow(() -> new IllegalStateException(runId + " is not recorded"));
    if (run.status() != RunStatus.SUCCEEDED) {
      throw new IllegalStateException(runId + " ended " + run.status() + ": " + run.reason());
    }
    return run;
  }

  @Override
  public void close() {
    engine.close();
    store.close();
  }
}
