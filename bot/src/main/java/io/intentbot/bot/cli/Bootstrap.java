package io.intentbot.bot.cli;

import io.intentbot.engine.Engine;
import io.intentbot.engine.GroupDirectory;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.KubernetesStepTypes;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds what a subcommand needs, each piece once and only when asked: the config, the step type
 * registry, the intent catalogue, the audit store and the engine. Closing it closes what it opened.
 */
final class Bootstrap implements AutoCloseable {

  private final Map<String, String> env;
  private final Path configFile;
  private final Path intentsDir;
  private IntentbotConfig config;
  private StepTypeRegistry registry;
  private IntentCatalog catalog;
  private AuditStore audit;
  private Engine engine;
  private KubernetesClients clusters;

  Bootstrap(CommonOptions options, Map<String, String> env) {
    this.env = env;
    this.configFile = options.configFile(env);
    this.intentsDir = options.intentsDir(env);
  }

  Path intentsDir() {
    return intentsDir;
  }

  Map<String, String> env() {
    return env;
  }

  IntentbotConfig config() {
    if (config == null) {
      config = new ConfigLoader(env::get).load(configFile);
    }
    return config;
  }

  StepTypeRegistry registry() {
    if (registry == null) {
      clusters = KubernetesClients.fromKubeconfig();
      registry = StepTypes.registry(config(), clusters);
    }
    return registry;
  }

  IntentCatalog catalog() {
    if (catalog == null) {
      catalog = new IntentLoader(registry()).load(intentsDir);
    }
    return catalog;
  }

  IntentCatalog catalog(Path dir) {
    return new IntentLoader(registry()).load(dir);
  }

  /** {@code INTENTBOT_DB_URL}, else the H2 file under {@code data/}. */
  String dbUrl() {
    String url = env.get("INTENTBOT_DB_URL");
    if (url == null || url.isBlank()) {
      url = AuditStores.defaultUrl(Path.of(env.getOrDefault("INTENTBOT_DATA", "data")));
    }
    return url;
  }

  String dbUser() {
    return env.get("INTENTBOT_DB_USER");
  }

  String dbPassword() {
    return env.get("INTENTBOT_DB_PASSWORD");
  }

  AuditStore audit() {
    if (audit == null) {
      audit = AuditStores.open(dbUrl(), dbUser(), dbPassword());
    }
    return audit;
  }

  Engine engine(GroupDirectory groups) {
    if (engine == null) {
      engine =
          Engine.builder()
              .config(config())
              .catalog(catalog())
              .stepTypes(registry())
              .auditStore(audit())
              .groupDirectory(groups)
              .processTimeout(processTimeout())
              .build();
    }
    return engine;
  }

  /** {@code INTENTBOT_PROCESS_TIMEOUT}: silence after which a process's runs are interrupted. */
  private java.time.Duration processTimeout() {
    String text = env.getOrDefault("INTENTBOT_PROCESS_TIMEOUT", "30s");
    return io.intentbot.engine.definition.Durations.parse(text)
        .filter(d -> d.toMillis() >= 150)
        .orElseThrow(
            () ->
                new io.intentbot.engine.config.ConfigException(
                    "INTENTBOT_PROCESS_TIMEOUT must be a duration of at least 150ms such as 30s, got '"
                        + text
                        + "'"));
  }

  Engine engine() {
    return engine(GroupDirectory.NONE);
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    if (audit != null) {
      audit.close();
    }
    if (clusters != null) {
      clusters.close();
    }
  }

  /** The registry of every step type this build ships. */
  static final class StepTypes {
    private StepTypes() {}

    /** The built-ins and the Kubernetes, Velero and Helm step types on the given clusters. */
    static StepTypeRegistry registry(IntentbotConfig config, KubernetesClients clusters) {
      return StepTypeRegistry.builder()
          .registerAll(BuiltinStepTypes.all(config))
          .registerAll(KubernetesStepTypes.all(config, clusters))
          .build();
    }
  }
}
