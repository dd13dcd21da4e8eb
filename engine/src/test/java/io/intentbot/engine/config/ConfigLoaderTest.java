package io.intentbot.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.yaml.LoadProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private final ConfigLoader loader =
      new ConfigLoader(Map.of("DB_PASSWORD", "pw-from-env", "DB_HOST", "db.internal")::get)
          .environmentKeys(EnvironmentKeys.of("team"));

  @Test
  void readsAppsEnvironmentsApprovalsAndDatasources() {
    IntentbotConfig config =
        loader.parse(
            """
            apps: [web, api]
            environments:
              sandbox: { namespace: "{app}-sandbox", team: blue }
              production:
                namespace: "{app}"
                protected: true
                kube_context: prod
                approval: { approvers: [U1], groups: [S1], required: 2, self_approval: false, expires_after: 1h }
            datasources:
              web-production: { url: "jdbc:postgresql://${DB_HOST}:5432/web", user: app, password_env: DB_PASSWORD, migrations: migrations/web }
              local: { url: "jdbc:h2:mem:x;${MISSING:-DB_CLOSE_DELAY=-1}" }
            """,
            "intentbot.yaml");
    assertThat(config.apps()).containsExactly("web", "api");
    EnvironmentConfig production = config.environment("production").orElseThrow();
    assertThat(production.isProtected()).isTrue();
    assertThat(production.namespaceFor("web")).isEqualTo("web");
    assertThat(production.kubeContext()).isEqualTo("prod");
    assertThat(production.approval().required()).isEqualTo(2);
    assertThat(production.approval().expiresAfter()).isEqualTo(Duration.ofHours(1));
    assertThat(config.environment("sandbox").orElseThrow().extra()).containsEntry("team", "blue");
    assertThat(config.environment("sandbox").orElseThrow().namespaceFor("api"))
        .isEqualTo("api-sandbox");
    DatasourceConfig web = config.datasource("web-production").orElseThrow();
    assertThat(web.url()).isEqualTo("jdbc:postgresql://db.internal:5432/web");
    assertThat(web.password()).isEqualTo("pw-from-env");
    assertThat(web.toString()).doesNotContain("pw-from-env");
    assertThat(config.datasource("local").orElseThrow().url())
        .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
  }

  @Test
  void namesTheKeyAndTheFixForBadValues() {
    assertThatThrownBy(
            () -> loader.parse("environments:\n  prod:\n    protected: maybe\n", "c.yaml"))
        .hasMessage(
            "c.yaml:3:16: 'environments.prod.protected' must be true or false, got 'maybe'");
    assertThatThrownBy(
            () -> loader.parse("environments:\n  prod:\n    approval: { required: 0 }\n", "c.yaml"))
        .hasMessage("c.yaml:3:15: environments.prod: approval.required must be at least 1, got 0");
    assertThatThrownBy(
            () ->
                loader.parse(
                    "environments:\n  prod:\n    approval: { approver: [U1] }\n", "c.yaml"))
        .hasMessage(
            "c.yaml:3:17: unknown key 'environments.prod.approval.approver' (did you mean 'approvers'?); expected one of approvers, expires_after, from, groups, required, self_approval");
    assertThatThrownBy(() -> loader.parse("datasources:\n  db: { user: x }\n", "c.yaml"))
        .hasMessage("c.yaml:2:7: datasources.db.url is required (a JDBC URL)");
    assertThatThrownBy(() -> loader.parse("apps: [web\n", "c.yaml"))
        .hasMessageStartingWith("c.yaml:1:11: not valid YAML");
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/intentbot.yaml")))
        .hasMessage(
            "config file /nonexistent/intentbot.yaml does not exist: pass --config FILE or set INTENTBOT_CONFIG");
  }

  @Test
  void theShippedConfigLoads() {
    IntentbotConfig config = shippedLoader().load(Path.of("..", "config", "intentbot.yaml"));
    assertThat(config.apps()).contains("web");
    assertThat(config.environment("production").orElseThrow().isProtected()).isTrue();
  }

  /**
   * The loader as the bot has it: the intents folder's keys and the sections of the other modules
   * (stand-ins here, as the engine cannot see them; bot's CatalogLintTest loads it with the real
   * ones).
   */
  private static ConfigLoader shippedLoader() {
    List<ConfigSection> sections = new ArrayList<>(ConfigSection.installed());
    for (String key : List.of("kubernetes", "velero", "helm", "slack", "channels")) {
      sections.add(new ConfigSection(key, ConfigSchema.any(), "another module"));
    }
    return new ConfigLoader(name -> null, sections, EnvironmentKeys.readBy(INTENTS));
  }

  private static final Path INTENTS = Path.of("..", "intents");

  private static List<String> problems(ConfigLoader loader, String yaml) {
    return loader.check(yaml, "c.yaml").problems().stream().map(LoadProblem::toString).toList();
  }

  @Test
  void everyUnknownKeyIsAnErrorWithADidYouMeanAndItsLineAndColumn() {
    ConfigLoader strict =
        new ConfigLoader(name -> null).environmentKeys(EnvironmentKeys.of("registry", "git_repo"));
    assertThat(
            problems(
                strict,
                """
                apps: [web]
                enviroments:
                  sandbox: {}
                environments:
                  production:
                    namespace: "{app}"
                    protectd: true
                    registy: r.example
                    approval: { approvers: [U1], expire_after: 1h }
                datasources:
                  web: { url: "jdbc:h2:mem:x", pasword_env: PW }
                users:
                  U1: { kubernetes_usr: alice }
                pg_dump: { binay: /usr/bin/pg_dump }
                slak: {}
                """))
        .containsExactly(
            "c.yaml:2:1: unknown key 'enviroments' (did you mean 'environments'?); expected one of"
                + " access, admins, apps, datasources, environments, http, identities, limits,"
                + " pg_dump, shell, trusted_os_users, users",
            "c.yaml:7:5: unknown key 'environments.production.protectd' (did you mean"
                + " 'protected'?); expected one of approval, break_glass, freeze, impersonate,"
                + " kube_context, namespace, protected, or a key that an intent reads as env.<key>"
                + " (env.protectd is not among the keys given)",
            "c.yaml:8:5: unknown key 'environments.production.registy' (did you mean"
                + " 'registry'?); expected one of approval, break_glass, freeze, impersonate, kube_context,"
                + " namespace, protected, or a key that an intent reads as env.<key> (env.registy is"
                + " not among the keys given)",
            "c.yaml:9:34: unknown key 'environments.production.approval.expire_after' (did you"
                + " mean 'expires_after'?); expected one of approvers, expires_after, from,"
                + " groups, required, self_approval",
            "c.yaml:11:32: unknown key 'datasources.web.pasword_env' (did you mean"
                + " 'password_env'?); expected one of environment, migrations, password,"
                + " password_env, url, user",
            "c.yaml:13:9: unknown key 'users.U1.kubernetes_usr' (did you mean"
                + " 'kubernetes_user'?); expected one of kubernetes_groups, kubernetes_user",
            "c.yaml:14:12: unknown key 'pg_dump.binay' (did you mean 'binary'?); expected one of"
                + " binary",
            "c.yaml:15:1: unknown key 'slak'; expected one of access, admins, apps, datasources,"
                + " environments, http, identities, limits, pg_dump, shell, trusted_os_users,"
                + " users");
  }

  @Test
  void theHttpAllowListIsCheckedLikeEveryOtherKey() {
    ConfigLoader strict = new ConfigLoader(name -> null);
    assertThat(problems(strict, "http:\n  allow: [localhost, 10.0.0.0/8]\n")).isEmpty();
    assertThat(problems(strict, "http:\n  alow: [localhost]\n"))
        .containsExactly(
            "c.yaml:2:3: unknown key 'http.alow' (did you mean 'allow'?); expected one of allow");
  }

  @Test
  void aTypoNeverDropsProtected() {
    ConfigLoader loader = new ConfigLoader(name -> null).intents(INTENTS);
    assertThatThrownBy(
            () ->
                loader.parse(
                    "environments:\n  production:\n    protectd: true\n", "intentbot.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "intentbot.yaml:3:5: unknown key 'environments.production.protectd' (did you mean"
                + " 'protected'?)")
        .hasMessageEndingWith("(no intent in the intents folder '../intents' reads env.protectd)");
  }

  @Test
  void environmentKeysAreAllowedWhenAnIntentReadsThem(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(
        dir.resolve("deploy.yaml"),
        "steps:\n  - id: a\n    type: set\n    with: { image: \"${{ env.registry }}/x\" }\n");
    Files.writeString(
        dir.resolve("lib").resolve("clone.yml"),
        "steps:\n  - id: a\n    if: \"${{ has(env.git_repo) && env['poll interval'] != '' }}\"\n");
    Files.writeString(dir.resolve("broken.yaml"), "steps: [ {{ env.team ");
    Files.writeString(dir.resolve("notes.txt"), "${{ env.notes }}");
    EnvironmentKeys read = EnvironmentKeys.readBy(dir);
    assertThat(read.keys()).containsExactly("git_repo", "poll interval", "registry");
    ConfigLoader loader = new ConfigLoader(name -> null).intents(dir);
    IntentbotConfig config =
        loader.parse(
            """
            environments:
              sandbox:
                registry: r.example
                git_repo: /srv/{app}
                "poll interval": 2s
            """,
            "c.yaml");
    assertThat(config.environment("sandbox").orElseThrow().extra())
        .containsEntry("registry", "r.example")
        .containsEntry("git_repo", "/srv/{app}")
        .containsEntry("poll interval", "2s");
    assertThat(problems(loader, "environments:\n  sandbox:\n    notes: x\n    team: y\n"))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p).contains("no intent in the intents folder"));
    assertThat(problems(new ConfigLoader(name -> null), "environments:\n  s: { registry: r }\n"))
        .containsExactly(
            "c.yaml:2:8: unknown key 'environments.s.registry'; expected one of approval,"
                + " break_glass, freeze, impersonate, kube_context, namespace, protected, or a key"
                + " that an"
                + " intent reads as env.<key> (no intents folder was given to find readers of"
                + " env.registry)");
  }

  @Test
  void valuesMustHaveTheirTypeAndEveryProblemIsReportedAtOnce() {
    assertThat(
            problems(
                loader,
                """
                apps: { web: 1 }
                environments:
                  sandbox:
                    namespace: [a, b]
                    approval: { required: many, expires_after: soon, self_approval: "${NOPE:-yes}" }
                    break_glass: 1
                  staging: just-a-name
                datasources: [a]
                pg_dump: { binary: "${DB_HOST}" }
                """))
        .containsExactly(
            "c.yaml:1:7: 'apps' must be a list, got a mapping",
            "c.yaml:4:16: 'environments.sandbox.namespace' must be a text, got a list",
            "c.yaml:5:27: 'environments.sandbox.approval.required' must be a whole number, got"
                + " 'many'",
            "c.yaml:5:48: 'environments.sandbox.approval.expires_after' must be a duration such"
                + " as 30s, 5m or 2h, got 'soon'",
            "c.yaml:5:69: 'environments.sandbox.approval.self_approval' must be true or false,"
                + " got 'yes'",
            "c.yaml:6:18: 'environments.sandbox.break_glass' must be true or false, got '1'",
            "c.yaml:7:12: 'environments.staging' must be a mapping, got 'just-a-name'",
            "c.yaml:8:14: 'datasources' must be a mapping, got a list");
  }

  @Test
  void aLimitBelowOneIsAConfigProblemWithItsPlace() {
    assertThat(problems(loader, "limits:\n  runs_per_user: 0\n  processes: -3\n  runs_total: 7\n"))
        .containsExactly(
            "c.yaml:2:18: 'limits.runs_per_user' must be a whole number of at least 1, got '0'",
            "c.yaml:3:14: 'limits.processes' must be a whole number of at least 1, got '-3'");
  }

  @Test
  void sectionsDeclaredByOtherModulesAreCheckedByTheirSchema() {
    ConfigSection kubernetes =
        new ConfigSection(
            "kubernetes",
            ConfigSchema.fields()
                .key("retry", ConfigSchema.fields().key("attempts", ConfigSchema.integer())),
            "test");
    ConfigLoader loader = new ConfigLoader(name -> "4", List.of(kubernetes), EnvironmentKeys.NONE);
    IntentbotConfig config =
        loader.parse("kubernetes:\n  retry: { attempts: \"${N}\" }\n", "c.yaml");
    assertThat(config.section("kubernetes")).isEqualTo(Map.of("retry", Map.of("attempts", "4")));
    assertThat(problems(loader, "kubernetes:\n  retry: { atempts: 4, backof: 1s }\n"))
        .containsExactly(
            "c.yaml:2:12: unknown key 'kubernetes.retry.atempts' (did you mean 'attempts'?);"
                + " expected one of attempts",
            "c.yaml:2:24: unknown key 'kubernetes.retry.backof'; expected one of attempts");
    assertThatThrownBy(
            () ->
                new ConfigLoader(
                    name -> null, List.of(kubernetes, kubernetes), EnvironmentKeys.NONE))
        .hasMessageContaining("config section 'kubernetes' (test) is declared twice");
  }

  @Test
  void theConfigOtherToolsRelyOnStillLoads() {
    IntentbotConfig config =
        new ConfigLoader(name -> null)
            .parse(
                """
                apps: [web, api]
                environments:
                  sandbox:    { namespace: "{app}-sandbox" }
                  production:
                    namespace: "{app}"
                    protected: true
                    approval: { approvers: [U01ABC], groups: [S01SRE], required: 1, self_approval: false, expires_after: 30m }
                """,
                "intentbot.yaml");
    EnvironmentConfig production = config.environment("production").orElseThrow();
    assertThat(production.isProtected()).isTrue();
    assertThat(production.approval().approvers()).containsExactly("U01ABC");
    assertThat(production.approval().groups()).containsExactly("S01SRE");
    assertThat(production.approval().expiresAfter()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.environment("sandbox").orElseThrow().namespaceFor("web"))
        .isEqualTo("web-sandbox");
  }

  @Test
  void anEmptyFileIsAnEmptyConfigAndTheTopLevelMustBeAMapping() {
    assertThat(loader.parse("", "c.yaml").apps()).isEmpty();
    assertThat(problems(loader, "- apps\n"))
        .containsExactly("c.yaml:1:1: the top level must be a mapping (apps:, environments:)");
    assertThat(problems(loader, "apps: [web]\napps: [api]\n"))
        .containsExactly("c.yaml:2:1: key 'apps' is written twice");
  }

  @Test
  void eitherShapeIsCheckedByTheKindOfTheValue() {
    ConfigSchema breakGlass =
        ConfigSchema.either(
            ConfigSchema.bool(),
            ConfigSchema.fields()
                .key("users", ConfigSchema.strings())
                .key("groups", ConfigSchema.strings()));
    ConfigLoader loader =
        new ConfigLoader(
            name -> null,
            List.of(new ConfigSection("glass", ConfigSchema.mapOf(breakGlass), "test")),
            EnvironmentKeys.NONE);
    assertThat(problems(loader, "glass:\n  a: true\n  b: { users: [U1] }\n")).isEmpty();
    assertThat(problems(loader, "glass:\n  a: maybe\n  b: { user: [U1] }\n  c: [x]\n"))
        .containsExactly(
            "c.yaml:2:6: 'glass.a' must be true or false, got 'maybe'",
            "c.yaml:3:8: unknown key 'glass.b.user' (did you mean 'users'?); expected one of"
                + " groups, users",
            "c.yaml:4:6: 'glass.c' must be true or false or a mapping with users, groups, got a"
                + " list");
  }
}
