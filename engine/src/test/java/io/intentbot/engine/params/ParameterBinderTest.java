package io.intentbot.engine.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterBinderTest {

  @TempDir Path dir;
  private IntentDefinition intent;
  private ParameterBinder binder;

  @BeforeEach
  void load() {
    EngineFixture fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                  version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$', description: image tag }
                  replicas: { type: integer, min: 1, max: 20, default: 2 }
                  auto_rollback: { type: boolean, default: true }
                  mode: { type: enum, values: [previous, version], default: previous }
                  wait: { type: duration, default: 5m }
                  token: { type: string, secret: true }
                steps:
                  - id: a
                    type: set
                    with: { x: "1" }
                """);
    intent = fixture.catalog().find("deploy-app").orElseThrow();
    IntentbotConfig config = fixture.loadConfig();
    binder = new ParameterBinder(config);
  }

  private List<String> errors(String... args) {
    return binder.bind(intent, List.of(args)).errors();
  }

  @Test
  void bindsTypedValuesAndDefaults() {
    BindResult result =
        binder.bind(intent, List.of("app=web", "env=sandbox", "version=1.4.2", "replicas=3"));
    assertThat(result.errors()).isEmpty();
    assertThat(result.parameters().values())
        .containsEntry("app", "web")
        .containsEntry("replicas", 3L)
        .containsEntry("auto_rollback", true)
        .containsEntry("mode", "previous")
        .containsEntry("token", null);
    assertThat(result.parameters().display())
        .containsEntry("replicas", "3")
        .containsEntry("version", "1.4.2");
  }

  @Test
  void namesEachBadParameterAndWhatIsAllowed() {
    assertThat(
            errors(
                "app=webb",
                "env=prod",
                "replicas=50",
                "auto_rollback=maybe",
                "mode=latest",
                "wait=soon",
                "version=1.4"))
        .containsExactly(
            "parameter 'app' must be one of the configured apps: web, api; got 'webb' (did you mean 'web'?)",
            "parameter 'env' must be one of the configured environments: sandbox, production; got 'prod'",
            "parameter 'version' must match ^\\d+\\.\\d+\\.\\d+$ (image tag), got '1.4'",
            "parameter 'replicas' must be between 1 and 20, got 50",
            "parameter 'auto_rollback' must be true or false, got 'maybe'",
            "parameter 'mode' must be one of previous, version; got 'latest'",
            "parameter 'wait' must be a duration such as 30s, 5m or 1h, got 'soon'");
  }

  @Test
  void reportsMissingUnknownDuplicateAndMalformedArguments() {
    assertThat(errors("ap=web", "env=sandbox", "env=production", "oops", "replicas=two"))
        .containsExactly(
            "parameter 'env' is given twice; give it once",
            "'oops' is not key=value; write for example app=VALUE (`describe deploy-app` lists the parameters)",
            "unknown parameter 'ap' for deploy-app (did you mean 'app'?); it takes: app, env, version, replicas, auto_rollback, mode, wait, token",
            "missing required parameter 'app' (one of web, api)",
            "parameter 'replicas' must be a whole number between 1 and 20, got 'two'");
  }

  @Test
  void refusesControlCharactersAndOverlongValuesAndMasksSecrets() {
    assertThat(errors("app=web", "env=sandbox", "version=1.0.0\n; rm -rf /"))
        .containsExactly(
            "parameter 'version' contains a control character (a line break?); give it on one line");
    assertThat(errors("app=web", "env=sandbox", "version=" + "9".repeat(2000)))
        .containsExactly("parameter 'version' is 2000 characters long; the limit is 1024");
    BindResult secret =
        binder.bind(intent, List.of("app=web", "env=sandbox", "token=s3cr3t-value"));
    assertThat(secret.parameters().display()).containsEntry("token", "***");
    assertThat(secret.parameters().values()).containsEntry("token", "s3cr3t-value");
    assertThat(secret.parameters().secrets()).containsExactly("s3cr3t-value");
  }

  @Test
  void aSecretIsRegisteredAsTheStepWillSeeItAndMustBeLongEnoughToMask() {
    BindResult padded =
        binder.bind(intent, List.of("app=web", "env=sandbox", "token=  s3cr3t-value "));
    assertThat(padded.parameters().values()).containsEntry("token", "s3cr3t-value");
    assertThat(padded.parameters().secrets()).containsExactly("s3cr3t-value");
    assertThat(errors("app=web", "env=sandbox", "token=abc12"))
        .containsExactly(
            "parameter 'token' is too short to mask safely: a secret needs at least 6 characters");
  }

  @Test
  void keepsShellMetacharactersAsPlainData() {
    BindResult result =
        binder.bind(intent, List.of("app=web", "env=sandbox", "token=$(reboot); `id` | x"));
    assertThat(result.ok()).isTrue();
    assertThat(result.parameters().values()).containsEntry("token", "$(reboot); `id` | x");
  }
}
