package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentLoader;
import io.intentbot.kubernetes.KubernetesClients;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** intents/README.md is what {@code intentbot catalog} generates from the shipped definitions. */
class CatalogReadmeTest {

  @Test
  void theCheckedInCatalogueReadmeIsUpToDate() throws Exception {
    IntentbotConfig config =
        new ConfigLoader(name -> null)
            .intents(Path.of("..", "intents"))
            .load(Path.of("..", "config", "intentbot.yaml"));
    try (KubernetesClients clients = KubernetesClients.fromKubeconfig()) {
      IntentCatalog catalog =
          new IntentLoader(Bootstrap.StepTypes.registry(config, clients))
              .load(Path.of("..", "intents"));

      String generated = CatalogCommand.markdown(catalog, config);

      assertThat(generated).contains("| [deploy-app](#deploy-app) | mutating |");
      assertThat(Files.readString(Path.of("..", "intents", "README.md")))
          .as("regenerate with: java -jar bot/target/intentbot.jar catalog > intents/README.md")
          .isEqualTo(generated);
    }
  }
}
