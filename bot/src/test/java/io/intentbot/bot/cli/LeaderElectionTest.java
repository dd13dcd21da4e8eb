package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.bot.cli.LeaderElection.Kind;
import io.intentbot.engine.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  static final Map<String, String> IN_A_POD = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");

  @Test
  void autoChoosesKubernetesInsideAPodAndTheDatabaseElsewhere() {
    assertThat(LeaderElection.kind(IN_A_POD)).isEqualTo(Kind.KUBERNETES);
    assertThat(LeaderElection.kind(Map.of())).isEqualTo(Kind.DATABASE);
    assertThat(LeaderElection.kind(Map.of(LeaderElection.VARIABLE, "auto")))
        .isEqualTo(Kind.DATABASE);
  }

  @Test
  void anExplicitChoiceWins() {
    assertThat(LeaderElection.kind(Map.of(LeaderElection.VARIABLE, "Kubernetes")))
        .isEqualTo(Kind.KUBERNETES);
    assertThat(
            LeaderElection.kind(
                Map.of(
                    "KUBERNETES_SERVICE_HOST", "10.96.0.1", LeaderElection.VARIABLE, "database")))
        .isEqualTo(Kind.DATABASE);
  }

  @Test
  void anUnknownChoiceIsAClearConfigError() {
    assertThatThrownBy(() -> LeaderElection.kind(Map.of(LeaderElection.VARIABLE, "zookeeper")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auto, kubernetes or database")
        .hasMessageContaining("zookeeper");
  }

  @Test
  void theDatabaseChoiceAsksNoCluster() {
    assertThat(
            LeaderElection.choose(
                Map.of(),
                () -> {
                  throw new AssertionError("no cluster outside a pod");
                }))
        .isEmpty();
  }
}
