package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.engine.definition.Risk;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.engine.steps.BuiltinStepTypes;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.wiring.KubernetesStepTypes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped catalogue lints clean against the shipped config and has all fifteen intents. */
class CatalogLintTest {

  static final List<String> CATALOGUE =
      List.of(
          "deploy-app",
          "rollback-app",
          "migrate-schema",
          "database-rollback",
          "backup-app",
          "restore-app",
          "create-namespace",
          "manage-pvc",
          "manage-ingress",
          "update-helm-chart",
          "validate-schema",
          "inspect-schema",
          "debug-pod",
          "network-diagnose",
          "create-nextjs-app");

  @Test
  void theShippedIntentsHaveNoProblemsAndAreAllThere() {
    IntentbotConfig config =
        new ConfigLoader(name -> null)
            .intents(Path.of("..", "intents"))
            .load(Path.of("..", "config", "intentbot.yaml"));
    try (KubernetesClients clients = KubernetesClients.fromKubeconfig()) {
      StepTypeRegistry registry =
          StepTypeRegistry.builder()
              .registerAll(BuiltinStepTypes.all(config))
              .registerAll(KubernetesStepTypes.all(config, clients))
              .build();
      IntentCatalog catalog = new IntentLoader(registry).load(CatalogFixture.INTENTS);

      assertThat(catalog.problems()).isEmpty();
      for (String name : CATALOGUE) {
        IntentDefinition intent =
            catalog.find(name).orElseThrow(() -> new AssertionError(name + " missing"));
        assertThat(intent.description()).as(name).hasSizeGreaterThan(30);
        intent
            .parameters()
            .forEach(p -> assertThat(p.description()).as(name + " " + p.name()).isNotBlank());
      }
      assertThat(catalog.find("apply-migrations")).as("replaced by migrate-schema").isEmpty();
      for (String readOnly : List.of("validate-schema", "inspect-schema", "network-diagnose")) {
        assertThat(catalog.find(readOnly).orElseThrow().risk()).isEqualTo(Risk.READ_ONLY);
      }
      for (String locked :
          List.of(
              "deploy-app", "rollback-app", "migrate-schema", "database-rollback", "restore-app")) {
        assertThat(catalog.find(locked).orElseThrow().lock()).as(locked).isNotNull();
      }
    }
  }
}
