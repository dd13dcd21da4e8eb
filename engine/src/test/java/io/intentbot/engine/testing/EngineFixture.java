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
 * Builds a real engine for tests: intents written to a folder, a config parsed from YAML, the
 * built-in step types and an audit store on an H2 file. Records every run event.
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

  /** Engines started from now on share an in-memory H2 database instead of the file. */
  public EngineFixture inMemory() {
    this.memoryDb =
        "jdbc:h2:mem:"
            + java.util.UUID.randomUUID().toString().substring(0, 8)
            + ";DB_CLOSE_DELAY=-1";
    return this;
  }

  public String dbUrl() {
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
    IntentbotConfig config = loadConfig();
    StepTypeRegistry registry = registry(config);
    IntentCatalog catalog = new IntentLoader(registry).load(intents);
    if (!catalog.problems().isEmpty()) {
      throw new IllegalStateException("test intents do not load: " + catalog.problems());
    }
    JdbcAuditStore store = AuditStores.open(dbUrl(), "sa", "");
    stores.add(store);
    Engine engine =
        Engine.builder()
            .config(config)
            .catalog(catalog)
            .stepTypes(registry)
            .auditStore(store)
            .groupDirectory(groups)
            .clock(clock)
            .processTimeout(processTimeout)
            .expiryInterval(expiryInterval)
            .listener(events::add)
            .build();
    engines.add(engine);
    return engine;
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
