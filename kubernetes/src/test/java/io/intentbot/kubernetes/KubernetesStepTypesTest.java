package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepType;
import io.intentbot.engine.step.StepTypeRegistry;
import io.intentbot.kubernetes.wiring.KubernetesStepTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesStepTypesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClients clients =
      KubernetesClients.fromConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build());
  private final StepTypeRegistry registry =
      StepTypeRegistry.builder()
          .registerAll(KubernetesStepTypes.all(IntentbotConfig.empty(), clients))
          .build();

  @AfterEach
  void close() {
    clients.close();
  }

  @Test
  void everyStepTypeIsRegisteredUnderItsName() {
    assertThat(registry.names())
        .containsExactlyInAnyOrder(
            "kubernetes.set-image",
            "kubernetes.rollout-status",
            "kubernetes.rollout-history",
            "kubernetes.rollout-undo",
            "kubernetes.scale",
            "kubernetes.restart",
            "kubernetes.apply",
            "kubernetes.namespace",
            "kubernetes.pvc",
            "kubernetes.ingress",
            "kubernetes.exec",
            "kubernetes.logs",
            "kubernetes.pods",
            "kubernetes.network-check",
            "velero.backup",
            "velero.backups",
            "velero.describe",
            "velero.restore",
            "helm.upgrade",
            "helm.history",
            "helm.rollback");
    assertThat(registry.all()).allSatisfy(t -> assertThat(t.description()).isNotBlank());
  }

  private JsonSchema schema(String type) {
    StepType stepType = registry.find(type).orElseThrow();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(stepType.withSchema());
  }

  private boolean valid(String type, Map<String, ?> with) {
    JsonNode node = JSON.valueToTree(with);
    return schema(type).validate(node).isEmpty();
  }

  @Test
  void schemasAcceptTheDocumentedShapes() {
    assertThat(valid("kubernetes.set-image", Map.of("deployment", "web", "image", "web:1")))
        .isTrue();
    assertThat(
            valid(
                "kubernetes.set-image",
                Map.of("deployment", "web", "images", Map.of("web", "web:1"))))
        .isTrue();
    assertThat(
            valid(
                "kubernetes.rollout-undo",
                Map.of("deployment", "web", "to_revision", "${{ params.revision }}")))
        .isTrue();
    assertThat(valid("kubernetes.scale", Map.of("statefulset", "db", "replicas", 3))).isTrue();
    assertThat(valid("kubernetes.apply", Map.of("manifests", "apiVersion: v1\nkind: ConfigMap\n")))
        .isTrue();
    assertThat(valid("kubernetes.apply", Map.of("manifests", List.of(Map.of("kind", "ConfigMap")))))
        .isTrue();
    assertThat(
            valid(
                "kubernetes.namespace",
                Map.of("role_bindings", List.of(Map.of("group", "g", "role", "edit")))))
        .isTrue();
    assertThat(valid("kubernetes.pvc", Map.of("action", "resize", "name", "data", "size", "20Gi")))
        .isTrue();
    assertThat(valid("kubernetes.exec", Map.of("selector", "app=web", "command", List.of("ls"))))
        .isTrue();
    assertThat(
            valid("kubernetes.network-check", Map.of("targets", List.of(Map.of("tcp", "db:5432")))))
        .isTrue();
    assertThat(
            valid("velero.restore", Map.of("backup", "b", "namespace_mapping", Map.of("a", "b"))))
        .isTrue();
    assertThat(
            valid(
                "helm.upgrade",
                Map.of("release", "web", "chart", "repo/web", "values", Map.of("a", 1))))
        .isTrue();
  }

  @Test
  void schemasRejectWrongShapes() {
    assertThat(valid("kubernetes.set-image", Map.of("deployment", "web"))).isFalse();
    assertThat(
            valid(
                "kubernetes.set-image", Map.of("deployment", "web", "image", "x", "imag", "typo")))
        .isFalse();
    assertThat(
            valid(
                "kubernetes.scale",
                Map.of("deployment", "web", "statefulset", "db", "replicas", 1)))
        .isFalse();
    assertThat(valid("kubernetes.exec", Map.of("pod", "p", "command", "ls -l"))).isTrue();
    assertThat(valid("kubernetes.exec", Map.of("pod", "p", "command", ""))).isFalse();
    assertThat(valid("kubernetes.exec", Map.of("pod", "p", "command", List.of()))).isFalse();
    assertThat(valid("kubernetes.pvc", Map.of("action", "shrink", "name", "data"))).isFalse();
    assertThat(
            valid(
                "kubernetes.network-check",
                Map.of("targets", List.of(Map.of("dns", "a", "tcp", "b:1")))))
        .isFalse();
    assertThat(valid("helm.upgrade", Map.of("release", "web"))).isFalse();
  }

  @Test
  void resilienceSettingsComeFromConfigAndRejectNonsense() {
    ApiResilience settings =
        ApiResilience.from(
            Map.of(
                "retry",
                Map.of("attempts", 2, "backoff", "50ms"),
                "circuit_breaker",
                Map.of("open_for", "5s")));

    assertThat(settings.attempts()).isEqualTo(2);
    assertThat(settings.backoff()).hasMillis(50);
    assertThat(settings.openFor()).hasSeconds(5);
    assertThat(settings.minimumCalls()).isEqualTo(ApiResilience.DEFAULTS.minimumCalls());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ApiResilience.from(Map.of("retry", Map.of("attempts", 0))))
        .hasMessageContaining("attempts must be at least 1");
  }
}
