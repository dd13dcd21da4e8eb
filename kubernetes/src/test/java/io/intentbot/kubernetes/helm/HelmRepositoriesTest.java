package io.intentbot.kubernetes.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.config.ConfigException;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import org.junit.jupiter.api.Test;

/** {@code helm.repositories} is checked as strictly as every other config section. */
class HelmRepositoriesTest {

  private static IntentbotConfig load(String helm) {
    return new ConfigLoader(name -> null).parse("apps: [web]\nhelm:\n" + helm, "intentbot.yaml");
  }

  @Test
  void theConfiguredRepositoriesAreReadInOrder() {
    IntentbotConfig config =
        load(
            """
              binary: /usr/local/bin/helm
              repositories:
                - { name: vmware-tanzu, url: https://vmware-tanzu.github.io/helm-charts }
                - { name: authentik, url: "https://charts.goauthentik.io" }
            """);

    HelmCli helm = HelmCli.from(config);

    assertThat(helm.repositories().all())
        .containsExactly(
            new HelmRepository("vmware-tanzu", "https://vmware-tanzu.github.io/helm-charts"),
            new HelmRepository("authentik", "https://charts.goauthentik.io"));
    assertThat(HelmRepositories.from(load("  binary: helm\n")).all()).isEmpty();
  }

  @Test
  void anUnknownOrMissingKeyIsAConfigErrorAtItsPlace() {
    assertThatThrownBy(
            () ->
                load(
                    """
                      repositories:
                        - { name: repo, uri: https://charts.example }
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "intentbot.yaml:4:7: helm.repositories[0].url is required (the repository's https://"
                + " URL)\nintentbot.yaml:4:21: unknown key 'helm.repositories[0].uri' (did you"
                + " mean 'url'?); expected one of name, url");
    assertThatThrownBy(() -> load("  repositories: { name: repo }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'helm.repositories' must be a list");
  }

  @Test
  void valuesHelmWouldRefuseOrThatWouldLeakAreRefusedAtStart() {
    IntentbotConfig config =
        load(
            """
              repositories:
                - { name: team/charts, url: https://charts.example }
                - { name: -x, url: https://charts.example }
                - { name: dup, url: https://a.example }
                - { name: dup, url: https://b.example }
                - { name: registry, url: oci://registry.example/charts }
                - { name: secret, url: "https://bob:hunter2@charts.example" }
                - { name: ftp, url: ftp://charts.example }
            """);

    assertThatThrownBy(() -> HelmCli.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            String.join(
                "\n",
                "helm.repositories[0].name 'team/charts' must be letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit (charts name it before the slash:"
                    + " NAME/chart)",
                "helm.repositories[1].name '-x' must be letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit (charts name it before the slash: NAME/chart)",
                "helm.repositories[3].name 'dup' is given twice: each name must be unique",
                "helm.repositories[4].url 'oci://registry.example/charts' is an OCI registry, not a"
                    + " chart repository: helm repo add does not take it; name the chart oci://..."
                    + " in the step instead and leave it out of helm.repositories",
                "helm.repositories[5].url 'https://bob:hunter2@charts.example' carries"
                    + " credentials: they would be shown in plans and chat; leave them out",
                "helm.repositories[6].url 'ftp://charts.example' must be an https:// (or http://)"
                    + " URL with a host"));
  }
}
