package io.intentbot.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private final ConfigLoader loader =
      new ConfigLoader(Map.of("DB_PASSWORD", "pw-from-env", "DB_HOST", "db.internal")::get);

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
        .hasMessage("c.yaml: 'environments.prod.protected' must be true or false, got 'maybe'");
    assertThatThrownBy(
            () -> loader.parse("environments:\n  prod:\n    approval: { required: 0 }\n", "c.yaml"))
        .hasMessage("c.yaml: environments.prod: approval.required must be at least 1, got 0");
    assertThatThrownBy(
            () ->
                loader.parse(
                    "environments:\n  prod:\n    approval: { approver: [U1] }\n", "c.yaml"))
        .hasMessage(
            "c.yaml: unknown key 'environments.prod.approval.approver'; expected one of approvers, expires_after, groups, required, self_approval");
    assertThatThrownBy(() -> loader.parse("datasources:\n  db: { user: x }\n", "c.yaml"))
        .hasMessage("c.yaml: datasources.db.url is required (a JDBC URL)");
    assertThatThrownBy(() -> loader.parse("apps: [web\n", "c.yaml"))
        .hasMessageStartingWith("c.yaml: not valid YAML");
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/intentbot.yaml")))
        .hasMessage(
            "config file /nonexistent/intentbot.yaml does not exist: pass --config FILE or set INTENTBOT_CONFIG");
  }

  @Test
  void theShippedConfigLoads() {
    IntentbotConfig config =
        new ConfigLoader(name -> null).load(Path.of("..", "config", "intentbot.yaml"));
    assertThat(config.apps()).contains("web");
    assertThat(config.environment("production").orElseThrow().isProtected()).isTrue();
  }
}
