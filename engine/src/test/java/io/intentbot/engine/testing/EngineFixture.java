package io.intentbot.engine.testing;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.JdbcAuditStore;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds a real engine for tests and the bench: intents written to a folder, a config parsed from
 * YAML (and written to {@code intentbot.yaml} in the folder, for processes started on it), the
 * built-in step types plus any added, and an audit store on an H2 file, an in-memory H2 database or
 * a given JDBC URL. Records every run event. {@link #build()} runs nothing; the test adds its
 * listeners and then starts the engine ({@link #started()} or {@code engine.start()}).
 */
public final class EngineFixture implements AutoCloseable {

  public static final String DEFAULT_CONFIG =
      """
      apps: [web, api]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          break_glass: true
          approval: { approvers: [U_ALICE, U_BOB], groups: [S_SRE], required: 1, self_approval: false, expires_after: 30m }
      """;

  private final Path root;
  private final Path intents;
  private String configYaml = DEFAULT_CONFIG;
  private Clock clock = Clock.systemUTC();
  private java.time.Duration processTimeout = java.time.Duration.ofSeconds(30);
  private GroupDirectory groups = GroupDirectory.NONE;
  private final List<StepType> extraTypes = new ArrayList<>();
  private final List<RunEvent> events = new CopyOnWriteArrayList<>();
  private final List<Engine> engines = new ArrayList<>();
  private final List<JdbcAuditStore> stores = new ArrayList<>();
  private final List<IntentbotConfig> configs = new ArrayList<>();

  public EngineFixture(Path root) {
    this.root = root;
    this.intents = root.resolve("intents");
    try {
      Files.createDirectories(intents.resolve("lib"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public EngineFixture intent(String name, String yaml) {
    write(intents.resolve(name + ".yaml"), yaml);
    return this;
  }

  public EngineFixture library(String name, String yaml) {
    write(intents.resolve("lib").resolve(name + ".yaml"), yaml);
    return this;
  }

  public EngineFixture config(String yaml) {
    this.configYaml = yaml;
    return this;
  }

  public EngineFixture clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The process timeout of engines started from now on (default 30 s). */
  public EngineFixture processTimeout(java.time.Duration timeout) {
    this.processTimeout = timeout;
    return this;
  }

  public EngineFixture groups(GroupDirectory groups) {
    this.groups = groups;
    return this;
  }

  public EngineFixture stepType(StepType type) {
    extraTypes.add(type);
    return this;
  }

  public Path root() {
    return root;
  }

  public Path intentsDir() {
    return intents;
  }

  private String memoryDb;
  private String jdbcUrl;
  private String user = "sa";
  private String password = "";
  private int maxConcurrentRuns;
  private boolean recordEvents = true;
  private String secretKey;
  private final List<String> secrets = new ArrayList<>();

  /** Values engines built from now on mask in every run, as {@code Engine.Builder#secrets}. */
  public EngineFixture secrets(String... values) {
    secrets.addAll(java.util.Arrays.asList(values));
    return this;
  }

  private io.intentbot.engine.leader.Leadership leadership;

  /**
   * The leadership of engines built from now on (null: the engine's default, a lease per duty in
   * the audit database), for tests that hand duties from one replica to another themselves.
   */
  public EngineFixture leadership(io.intentbot.engine.leader.Leadership leadership) {
    this.leadership = leadership;
    return this;
  }

  /** The {@code INTENTBOT_SECRET_KEY} of engines built from now on (null: none, the default). */
  public EngineFixture secretKey(String base64Key) {
    this.secretKey = base64Key;
    return this;
  }

  /** Engines started from now on share an in-memory H2 database instead of the file. */
  public EngineFixture inMemory() {
    this.memoryDb =
        "jdbc:h2:mem:"
            + java.util.UUID.randomUUID().toString().substring(0, 8)
            + ";DB_CLOSE_DELAY=-1";
    return this;
  }

  /**
   * Engines started from now on keep their audit trail in the database at {@code url} ({@code user}
   * and {@code password} may be null, as for {@link AuditStores#open}).
   */
  public EngineFixture database(String url, String user, String password) {
    this.jdbcUrl = url;
    this.user = user;
    this.password = password;
    return this;
  }

  /**
   * Whether engines built from now on record their run events for {@link #events()} (default yes);
   * a benchmark turns it off so that the record costs nothing.
   */
  public EngineFixture recordEvents(boolean record) {
    this.recordEvents = record;
    return this;
  }

  /** The engine's limit of concurrent runs for engines built from now on (0: its default). */
  public EngineFixture maxConcurrentRuns(int maxRuns) {
    this.maxConcurrentRuns = maxRuns;
    return this;
  }

  public String dbUrl() {
    if (jdbcUrl != null) {
      return jdbcUrl;
    }
    return memoryDb != null ? memoryDb : AuditStores.defaultUrl(root.resolve("data"));
  }

  public IntentbotConfig loadConfig() {
    return new ConfigLoader(name -> null).parse(configYaml, "intentbot.yaml");
  }

  public StepTypeRegistry registry(IntentbotConfig config) {
    return StepTypeRegistry.builder()
        .registerAll(BuiltinStepTypes.all(config))
        .registerAll(extraTypes)
        .build();
  }

  public IntentCatalog catalog() {
    IntentbotConfig config = loadConfig();
    return new IntentLoader(registry(config)).load(intents);
  }

  private java.time.Duration expiryInterval = java.time.Duration.ofSeconds(15);

  /** How often engines started from now on expire approvals (default 15 s). */
  public EngineFixture expiryInterval(java.time.Duration interval) {
    this.expiryInterval = interval;
    return this;
  }

  /**
   * A new, started engine over the same folder and database, as a restarted process would build it.
   */
  public Engine start() {
    Engine engine = build();
    engine.start();
    return engine;
  }

  /** As {@link #start()}, but not started: nothing runs until the test calls {@code start()}. */
  public Engine build() {
    write(root.resolve("intentbot.yaml"), configYaml);
    IntentbotConfig config = loadConfig();
    StepTypeRegistry registry = registry(config);
    IntentCatalog catalog = new IntentLoader(registry).load(intents);
    if (!catalog.problems().isEmpty()) {
      throw new IllegalStateException("test intents do not load: " + catalog.problems());
    }
    JdbcAuditStore store = AuditStores.open(dbUrl(), user, password);
    stores.add(store);
    Engine.Builder builder =
        Engine.builder()
            .config(config)
            .catalog(catalog)
            .stepTypes(registry)
            .auditStore(store)
            .groupDirectory(groups)
            .clock(clock)
            .processTimeout(processTimeout)
            .expiryInterval(expiryInterval)
            .secretKey(secretKey)
            .secrets(secrets);
    if (recordEvents) {
      builder.listener(events::add);
    }
    if (maxConcurrentRuns > 0) {
      builder.maxConcurrentRuns(maxConcurrentRuns);
    }
    if (leadership != null) {
      builder.leadership(leadership);
    }
    Engine engine = builder.build();
    engines.add(engine);
    configs.add(config);
    return engine;
  }

  /**
   * Starts the engine built last, once the test's adapters have added their listeners, and marks
   * the runs of stopped processes interrupted, as {@code serve} does at start-up.
   */
  public Engine started() {
    Engine engine = engine();
    engine.start();
    engine.recoverInterrupted();
    return engine;
  }

  /** The engine built last. */
  public Engine engine() {
    if (engines.isEmpty()) {
      throw new IllegalStateException("no engine built yet");
    }
    return engines.get(engines.size() - 1);
  }

  /** The config of the engine built last. */
  public IntentbotConfig config() {
    if (configs.isEmpty()) {
      throw new IllegalStateException("no engine built yet");
    }
    return configs.get(configs.size() - 1);
  }

  /** The audit store of the engine built last. */
  public JdbcAuditStore audit() {
    if (stores.isEmpty()) {
      throw new IllegalStateException("no engine built yet");
    }
    return stores.get(stores.size() - 1);
  }

  public List<RunEvent> events() {
    return new ArrayList<>(events);
  }

  public <T extends RunEvent> List<T> events(Class<T> type, String runId) {
    return events.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(e -> e.run().id().equals(runId))
        .toList();
  }

  @Override
  public void close() {
    engines.forEach(Engine::close);
    stores.forEach(JdbcAuditStore::close);
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
