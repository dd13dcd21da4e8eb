package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifests shipped for running intentbot itself parse and say what the README promises. */
class ShippedManifestsTest {

  @Test
  void twoReplicasWithProbesAServiceAndTheirRbac() throws Exception {
    List<HasMetadata> objects;
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        InputStream in =
            Files.newInputStream(Path.of("..", "config", "kubernetes", "intentbot.yaml"))) {
      objects = client.load(in).items();
    }
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service");
    Deployment deployment = (Deployment) objects.get(3);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("intentbot");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("serve");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    ClusterRoleBinding binding = (ClusterRoleBinding) objects.get(2);
    assertThat(binding.getSubjects().get(0).getName()).isEqualTo("intentbot");
    Service service = (Service) objects.get(4);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }
}
