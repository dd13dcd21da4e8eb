package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.yaml.LoadProblem;
import io.intentbot.kubernetes.helm.HelmCli;
import io.intentbot.kubernetes.velero.Velero;
import org.junit.jupiter.api.Test;

/** The module's sections are found on the class path and refuse keys their readers never read. */
class KubernetesConfigSectionsTest {

  private final ConfigLoader loader = new ConfigLoader(name -> null);

  @Test
  void everyKeyTheReadersReadIsDeclared() {
    IntentbotConfig config =
        loader.parse(
            """
            kubernetes:
              retry: { attempts: 2, backoff: 10ms, max_backoff: 20ms }
              circuit_breaker: { failure_rate: 100, minimum_calls: 1000, open_for: 1s }
            velero: { namespace: backups }
            helm: { binary: /opt/helm }
            """,
            "intentbot.yaml");
    assertThat(ApiResilience.from(config.section("kubernetes")).attempts()).isEqualTo(2);
    assertThat(Velero.namespace(config)).isEqualTo("backups");
    assertThat(HelmCli.from(config)).isNotNull();
  }

  @Test
  void typosAndBadValuesInTheSectionsAreRefused() {
    assertThat(
            loader
                .check(
                    """
                    kubernetes:
                      retry: { attempts: many }
                      circuit_breaker: { open_for: soon, failure_rat: 50 }
                    velero: { namespce: backups }
                    """,
                    "intentbot.yaml")
                .problems())
        .extracting(LoadProblem::toString)
        .containsExactly(
            "intentbot.yaml:2:22: 'kubernetes.retry.attempts' must be a whole number, got 'many'",
            "intentbot.yaml:3:32: 'kubernetes.circuit_breaker.open_for' must be a duration such as"
                + " 30s, 5m or 2h, got 'soon'",
            "intentbot.yaml:3:38: unknown key 'kubernetes.circuit_breaker.failure_rat' (did you"
                + " mean 'failure_rate'?); expected one of failure_rate, minimum_calls, open_for",
            "intentbot.yaml:4:11: unknown key 'velero.namespce' (did you mean 'namespace'?);"
                + " expected one of namespace, storage_location");
  }
}
