package io.intentbot.bot.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditKey;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.ConfigResult;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.wiring.KubernetesStepTypes;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

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
  private final Supplier<KubernetesClient> leaderClient;
  private KubernetesClient electionClient;

  Bootstrap(CommonOptions options, Map<String, String> env) {
    this(options, env, Bootstrap::inCluster);
  }

  /**
   * @param leaderClient the client for the Kubernetes leader election, when it is chosen
   */
  Bootstrap(
      CommonOptions options, Map<String, String> env, Supplier<KubernetesClient> leaderClient) {
    this.env = env;
    this.configFile = options.configFile(env);
    this.intentsDir = options.intentsDir(env);
    this.leaderClient = leaderClient;
  }

  /** KUBECONFIG with kubectl's rules, or the pod's service account; the elector retries itself. */
  private static KubernetesClient inCluster() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  Path intentsDir() {
    return intentsDir;
  }

  Map<String, String> env() {
    return env;
  }

  Path configFile() {
    return configFile;
  }

  /**
   * The config, checked against the intents folder (which free-form {@code env.<key>} keys its
   * intents read); a {@link io.intentbot.engine.config.ConfigException} naming every problem as
   * {@code file:line:col: message} when it is invalid.
   */
  IntentbotConfig config() {
    if (config == null) {
      config = configLoader(intentsDir).load(configFile);
    }
    return config;
  }

  /**
   * Checks the config against {@code intents} and reports instead of refusing ({@code lint}): the
   * rest of this bootstrap then uses the config as far as it could be read.
   */
  ConfigResult checkConfig(Path intents) {
    ConfigResult result = configLoader(intents).check(configFile);
    if (config == null) {
      config = result.config();
    }
    return result;
  }

  private ConfigLoader configLoader(Path intents) {
    return new ConfigLoader(env::get).intents(intents);
  }

  StepTypeRegistry registry() {
    if (registry == null) {
      clusters = KubernetesClients.fromKubeconfig(env);
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

  /** The key that signs the audit chain, from INTENTBOT_AUDIT_KEY; a weak key stops the command. */
  Optional<AuditKey> auditKey() {
    try {
      return AuditKey.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), ExitCode.INVALID);
    }
  }

  AuditStore audit() {
    if (audit == null) {
      audit = AuditStores.open(dbUrl(), dbUser(), dbPassword(), auditKey());
    }
    return audit;
  }

  /** The engine, built once and not started. */
  Engine engine(GroupDirectory groups) {
    if (engine == null) {
      engine = builder(groups).build();
    }
    return engine;
  }

  /**
   * The engine of a long-running server ({@code serve}, {@code socket}): its background duties go
   * to one replica at a time, chosen as {@link LeaderElection} says; the choice is logged. Built,
   * not started: the caller attaches its listeners, then starts it.
   */
  Engine serverEngine(GroupDirectory groups) {
    if (engine == null) {
      Engine.Builder builder = builder(groups);
      LeaderElection.choose(
              env,
              () -> {
                electionClient = leaderClient.get();
                return electionClient;
              })
          .ifPresent(builder::leadership);
      engine = builder.build();
      LoggerFactory.getLogger(Bootstrap.class)
          .info(
              "background duties go to one replica at a time: {}", engine.leadership().describe());
    }
    return engine;
  }

  private Engine.Builder builder(GroupDirectory groups) {
    return secretKey(
        Engine.builder()
            .config(config())
            .catalog(catalog())
            .stepTypes(registry())
            .auditStore(audit())
            .groupDirectory(groups)
            .secrets(BotSecrets.of(env))
            .processTimeout(processTimeout()));
  }

  /** {@code INTENTBOT_SECRET_KEY}: encrypts the secret parameters of runs waiting for approval. */
  private Engine.Builder secretKey(Engine.Builder builder) {
    try {
      return builder.secretKey(env.get("INTENTBOT_SECRET_KEY"));
    } catch (IllegalArgumentException e) {
      throw new io.intentbot.engine.config.ConfigException(e.getMessage());
    }
  }

  /** {@code INTENTBOT_PROCESS_TIMEOUT}: silence after which a process's runs are interrupted. */
  private java.time.Duration processTimeout() {
    String text = env.getOrDefault("INTENTBOT_PROCESS_TIMEOUT", "30s");
    return io.intentbot.engine.text.Durations.parse(text)
        .filter(d -> d.toMillis() >= 150)
        .orElseThrow(
            () ->
                new io.intentbot.engine.config.ConfigException(
                    "INTENTBOT_PROCESS_TIMEOUT must be a duration of at least 150ms such as 30s, got '"
                        + text
                        + "'"));
  }

  /**
   * Starts opening the audit database on a thread of its own while the caller goes on (reading and
   * checking the config, then {@link Ahead#loadCatalogue loading the catalogue}, connecting to
   * Slack): the audit store, then {@code database} (more work on the audit database that needs the
   * store's schema first: the Slack adapter's tables). It needs only the environment ({@code
   * INTENTBOT_DB_URL}, {@code INTENTBOT_AUDIT_KEY}, ...), not the config, so it can begin before
   * the config is read; whatever it opened is closed with the bootstrap, or by {@link
   * Ahead#abandon} when the start stops before using it.
   */
  <T> Ahead<T> openDatabaseAhead(Function<AuditStore, T> database) {
    return new Ahead<>(
        CompletableFuture.supplyAsync(
            () -> database.apply(audit()), startThread("intentbot-start-database")));
  }

  /**
   * What {@link #openDatabaseAhead} opens, and the step types and catalogue once {@link
   * #loadCatalogue} starts loading them beside it. {@link #await} waits for both sides and fails as
   * opening them one after the other would have: an invalid catalogue first, then the database's
   * error, each thrown as it was (a {@link io.intentbot.engine.config.ConfigException}, an {@link
   * io.intentbot.engine.audit.AuditStoreException}).
   */
  final class Ahead<T> {
    private final CompletableFuture<T> database;
    private CompletableFuture<IntentCatalog> catalogue;

    private Ahead(CompletableFuture<T> database) {
      this.database = database;
    }

    /**
     * Starts loading the step types and the catalogue on a thread of its own. They are independent
     * of the database: the config (read and checked before this is called) is all they share, and
     * it is only read. Call after {@link Bootstrap#config()}.
     */
    Ahead<T> loadCatalogue() {
      catalogue =
          CompletableFuture.supplyAsync(
              Bootstrap.this::catalog, startThread("intentbot-start-catalogue"));
      return this;
    }

    /** The result of the database side, once both sides are open. */
    T await() {
      RuntimeException failure = catalogue == null ? null : failure(catalogue);
      RuntimeException onDatabase = failure(database);
      if (failure == null) {
        failure = onDatabase;
      }
      if (failure != null) {
        if (onDatabase == null) {
          close(database.join(), failure);
        }
        throw failure;
      }
      return database.join();
    }

    /**
     * The start stops before using what opened (the config is invalid, say): waits for both sides
     * and closes what the database side opened; their own failures are added to {@code cause}.
     */
    void abandon(Throwable cause) {
      if (catalogue != null) {
        RuntimeException onCatalogue = failure(catalogue);
        if (onCatalogue != null) {
          cause.addSuppressed(onCatalogue);
        }
      }
      RuntimeException onDatabase = failure(database);
      if (onDatabase != null) {
        cause.addSuppressed(onDatabase);
      } else {
        close(database.join(), cause);
      }
    }

    private static void close(Object opened, Throwable failure) {
      if (opened instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          failure.addSuppressed(e);
        }
      }
    }

    private static RuntimeException failure(CompletableFuture<?> side) {
      try {
        side.join();
        return null;
      } catch (CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Error error) {
          throw error;
        }
        return cause instanceof RuntimeException runtime ? runtime : e;
      }
    }
  }

  private static Executor startThread(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      thread.start();
    };
  }

  /**
   * The engine of the CLI and the console, built and not started: add listeners, then {@code
   * start()} it. Groups are Slack's where a bot token is configured (see TerminalGroups).
   */
  Engine engine() {
    return engine(io.intentbot.bot.slack.TerminalGroups.directory(env, config()));
  }

  /** The engine, started, for commands that add no listener. */
  Engine startedEngine() {
    Engine built = engine();
    built.start();
    return built;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    if (electionClient != null) {
      electionClient.close();
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
