package io.intentbot.bot.testing;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real engine over a small intent folder and an H2 file in a temp folder: {@code deploy-app}
 * (set, wait, set), {@code chatty} (a shell step printing 30 lines) and {@code status-check}
 * (read-only). Production is protected: approvers U0APPROVER and U0OTHER and group S0SRE.
 */
public final class TestEngine implements AutoCloseable {

  public static final String CONFIG =
      """
      apps: [web, api]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          break_glass: true
          approval: { approvers: [U0APPROVER, U0OTHER], groups: [S0SRE], required: 1, self_approval: false, expires_after: 30m }
      """;

  public static final String DEPLOY =
      """
      name: deploy-app
      description: Roll a new version of an app out to an environment
      risk: mutating
      parameters:
        app: { type: app, required: true, description: which app }
        env: { type: environment, required: true }
        version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$', default: "1.0.0", description: image tag }
        replicas: { type: integer, min: 1, max: 20, default: 2 }
      steps:
        - id: version
          type: set
          with: { version: "${{ params.version }}" }
        - id: settle
          type: wait
          with: { duration: 50ms, message: settling }
        - id: done
          type: set
          with: { replicas: "${{ params.replicas }}" }
      """;

  public static final String CHATTY =
      """
      name: chatty
      description: Prints many lines
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: print
          type: shell
          with: { command: [seq, "1", "30"] }
      """;

  public static final String STATUS =
      """
      name: status-check
      description: Look without touching
      risk: read-only
      parameters:
        app: { type: app, required: true }
      steps:
        - id: look
          type: set
          with: { seen: "${{ params.app }}" }
      """;

  public final Path dir;
  public final String dbUrl;
  public final IntentbotConfig config;
  public final AuditStore audit;
  public final Engine engine;

  private TestEngine(
      Path dir, String dbUrl, IntentbotConfig config, AuditStore audit, Engine engine) {
    this.dir = dir;
    this.dbUrl = dbUrl;
    this.config = config;
    this.audit = audit;
    this.engine = engine;
  }

  /**
   * Writes the intents (unless present) and builds an engine on {@code dir}; {@link #started()}
   * starts it.
   */
  public static TestEngine start(Path dir, GroupDirectory groups) throws IOException {
    return start(dir, groups, CONFIG);
  }

  /** As {@link #start(Path, GroupDirectory)} with another config. */
  public static TestEngine start(Path dir, GroupDirectory groups, String configYaml)
      throws IOException {
    return start(dir, groups, configYaml, AuditStores.defaultUrl(dir.resolve("data")));
  }

  /** As {@link #start(Path, GroupDirectory, String)} on the audit database at {@code url}. */
  public static TestEngine start(Path dir, GroupDirectory groups, String configYaml, String url)
      throws IOException {
    return start(dir, groups, configYaml, url, java.time.Duration.ofSeconds(15));
  }

  /**
   * As {@link #start(Path, GroupDirectory, String, String)}, expiring approvals every {@code
   * expiryInterval} (the engine's default is 15 s). Short intervals keep the audit database's
   * connections busy: tests of a database outage need them long.
   */
  public static TestEngine start(
      Path dir,
      GroupDirectory groups,
      String configYaml,
      String url,
      java.time.Duration expiryInterval)
      throws IOException {
    Path intents = dir.resolve("intents");
    if (!Files.isDirectory(intents)) {
      Files.createDirectories(intents);
      Files.writeString(intents.resolve("deploy-app.yaml"), DEPLOY);
      Files.writeString(intents.resolve("chatty.yaml"), CHATTY);
      Files.writeString(intents.resolve("status-check.yaml"), STATUS);
    }
    Files.writeString(dir.resolve("intentbot.yaml"), configYaml);
    IntentbotConfig config = new ConfigLoader().load(dir.resolve("intentbot.yaml"));
    StepTypeRegistry registry =
        StepTypeRegistry.builder().registerAll(BuiltinStepTypes.all(config)).build();
    IntentCatalog catalog = new IntentLoader(registry).load(intents);
    if (!catalog.problems().isEmpty()) {
      throw new IllegalStateException("test intents do not load: " + catalog.problems());
    }
    AuditStore audit = AuditStores.open(url, null, null);
    Engine engine =
        Engine.builder()
            .config(config)
            .catalog(catalog)
            .stepTypes(registry)
            .auditStore(audit)
            .groupDirectory(groups)
            .expiryInterval(expiryInterval)
            .build();
    return new TestEngine(dir, url, config, audit, engine);
  }

  /**
   * Starts the engine once the test's adapters have added their listeners, and marks the runs of
   * stopped processes interrupted, as {@code serve} does at start-up.
   */
  public Engine started() {
    engine.start();
    engine.recoverInterrupted();
    return engine;
  }

  @Override
  public void close() {
    engine.close();
    audit.close();
  }
}
