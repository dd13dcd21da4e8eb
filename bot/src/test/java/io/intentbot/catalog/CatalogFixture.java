package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.JdbcAuditStore;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.testing.ApiServerDispatcher;
import io.intentbot.kubernetes.testing.MockCluster;
import io.intentbot.kubernetes.wiring.KubernetesStepTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real catalogue ({@code ../intents}) on a real engine: the built-in step types, the
 * Kubernetes, Velero and Helm step types on a fabric8 mock API server in CRUD mode (with
 * expectations on top for exec and logs), an audit store and app databases on H2 files in a temp
 * folder. Environments poll every 20ms; sandbox and production as in the shipped config (production
 * protected, approvers U_ALICE and U_BOB).
 */
final class CatalogFixture implements AutoCloseable {

  static final Path INTENTS = Path.of("..", "intents").toAbsolutePath().normalize();

  final Path root;
  final KubernetesMockServer server;

  /** The dispatcher in front of {@link #server}: requests, dropped ones, ephemeral containers. */
  final ApiServerDispatcher api;

  final KubernetesClient admin;
  final KubernetesClients clients;
  final IntentbotConfig config;
  final IntentCatalog catalog;
  final Engine engine;
  final List<RunEvent> events = new CopyOnWriteArrayList<>();
  private final JdbcAuditStore audit;

  CatalogFixture(Path root) {
    this(root, "", "");
  }

  /**
   * @param sandboxExtras YAML lines added to the sandbox environment (indented by 4 spaces)
   * @param extraConfig YAML appended to the test config (more top-level keys, e.g. helm:)
   */
  CatalogFixture(Path root, String sandboxExtras, String extraConfig) {
    this(root, sandboxExtras, extraConfig, "");
  }

  /**
   * @param extraDatasources YAML lines added under datasources: (indented by 2 spaces)
   */
  CatalogFixture(Path root, String sandboxExtras, String extraConfig, String extraDatasources) {
    this.root = root;
    MockCluster.Server started = MockCluster.start();
    server = started.server();
    api = started.api();
    admin = server.createClient();
    clients = KubernetesClients.fromConfig(admin.getConfiguration());
    config =
        new ConfigLoader(name -> null)
            .intents(INTENTS)
            .parse(
                configYaml(root)
                        .replace("    #sandbox\n", sandboxExtras)
                        .replace("  #datasources\n", extraDatasources)
                    + extraConfig,
                "intentbot.yaml");
    StepTypeRegistry registry =
        StepTypeRegistry.builder()
            .registerAll(BuiltinStepTypes.all(config))
            .registerAll(KubernetesStepTypes.all(config, clients))
            .build();
    catalog = new IntentLoader(registry).load(INTENTS);
    assertThat(catalog.problems()).isEmpty();
    audit = AuditStores.open(auditUrl(), "sa", "");
    engine =
        Engine.builder()
            .config(config)
            .catalog(catalog)
            .stepTypes(registry)
            .auditStore(audit)
            .listener(events::add)
            .build();
  }

  String auditUrl() {
    return AuditStores.defaultUrl(root.resolve("audit"));
  }

  static String dbUrl(Path root, String name) {
    return "jdbc:h2:file:"
        + root.resolve("db").resolve(name).toAbsolutePath()
        + ";AUTO_SERVER=TRUE";
  }

  String dbUrl(String name) {
    return dbUrl(root, name);
  }

  private static String configYaml(Path root) {
    String dumps = root.resolve("dumps").toAbsolutePath().toString();
    return """
        apps: [web, api]
        environments:
          sandbox:
            namespace: "{app}-sandbox"
            registry: registry.test
            poll_interval: 20ms
            db_dump_dir: "%s"
            git_repo: "%s/repos/{app}"
            #sandbox
          staging:
            namespace: "{app}-staging"
            poll_interval: 20ms
            db_dump_dir: "%s"
          production:
            namespace: "{app}"
            registry: registry.test
            poll_interval: 20ms
            db_dump_dir: "%s"
            protected: true
            approval: { approvers: [U_ALICE, U_BOB], required: 1, self_approval: false, expires_after: 30m }
        kubernetes:
          retry: { attempts: 2, backoff: 10ms, max_backoff: 20ms }
          circuit_breaker: { failure_rate: 100, minimum_calls: 1000, open_for: 1s }
          rollout: { failure_grace: 1s }
        velero: { namespace: velero }
        datasources:
          web-sandbox: { url: "%s", user: sa, migrations: migrations/web }
          web-production: { url: "%s", user: sa, migrations: migrations/web }
          api-sandbox: { url: "%s", user: sa, migrations: "%s" }
          apps-sandbox: { url: "%s", user: sa }
          #datasources
        """
        .formatted(
            dumps,
            root.toAbsolutePath(),
            dumps,
            dumps,
            dbUrl(root, "web-sandbox"),
            dbUrl(root, "web-production"),
            dbUrl(root, "api-sandbox"),
            root.resolve("api-migrations").toAbsolutePath(),
            dbUrl(root, "apps-sandbox"));
  }

  private boolean started;

  /** Starts the engine once (after a test's adapter added its listeners); returns it. */
  synchronized Engine started() {
    if (!started) {
      engine.start();
      started = true;
    }
    return engine;
  }

  Submission submit(String intent, String requester, boolean dryRun, String... arguments) {
    RunRequest request = RunRequest.of(intent, List.of(arguments), requester);
    return started().submit(dryRun ? request.asDryRun() : request);
  }

  /** Submits a run that must start at once, and waits for its end. */
  RunRecord run(String intent, String... arguments) throws InterruptedException {
    Submission submission = submit(intent, "U_DEV", false, arguments);
    assertThat(submission).as("submission of %s", intent).isInstanceOf(Submission.Started.class);
    return finish(((Submission.Started) submission).run().id());
  }

  RunRecord finish(String runId) throws InterruptedException {
    return engine.awaitFinished(runId, Duration.ofSeconds(60)).orElseThrow();
  }

  /** A dry run: the plan's text. */
  String plan(String intent, String... arguments) {
    Submission submission = submit(intent, "U_DEV", true, arguments);
    assertThat(submission)
        .as("dry run of %s: %s", intent, submission)
        .isInstanceOf(Submission.Planned.class);
    return ((Submission.Planned) submission).plan().describe();
  }

  /** The errors of a submission that must be refused as invalid. */
  List<String> invalid(String intent, String... arguments) {
    Submission submission = submit(intent, "U_DEV", false, arguments);
    assertThat(submission).as("submission of %s", intent).isInstanceOf(Submission.Invalid.class);
    return ((Submission.Invalid) submission).errors();
  }

  List<StepRecord> steps(String runId) {
    return engine.steps(runId);
  }

  StepRecord step(String runId, String stepId) {
    return steps(runId).stream()
        .filter(s -> s.stepId().equals(stepId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no step " + stepId + " in " + ids(runId)));
  }

  List<String> ids(String runId) {
    List<String> ids = new ArrayList<>();
    steps(runId).forEach(s -> ids.add(s.stepId() + ":" + s.status()));
    return ids;
  }

  /** Every step with its status, reason and output, for assertion messages. */
  String transcript(String runId) {
    StringBuilder out = new StringBuilder();
    for (StepRecord s : steps(runId)) {
      out.append(s.stepId())
          .append(' ')
          .append(s.status())
          .append(' ')
          .append(s.reason() == null ? "" : s.reason())
          .append('\n')
          .append(s.outputText() == null ? "" : s.outputText())
          .append('\n');
    }
    return out.toString();
  }

  static void assertSucceeded(RunRecord run) {
    assertThat(run.status())
        .as("run %s: %s", run.id(), run.reason())
        .isEqualTo(RunStatus.SUCCEEDED);
  }

  static Map<String, Object> outputs(RunRecord run) {
    return run.outputs();
  }

  @Override
  public void close() {
    engine.close();
    audit.close();
    clients.close();
    admin.close();
    server.destroy();
  }
}
