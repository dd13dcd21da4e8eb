package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The manifests shipped for running intentbot itself parse and say what the README promises. */
class ShippedManifestsTest {

  static List<HasMetadata> objects() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().build();
        InputStream in =
            Files.newInputStream(Path.of("..", "config", "kubernetes", "intentbot.yaml"))) {
      return client.load(in).items();
    }
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
    List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    assertThat(found).as(kind.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  @Test
  void twoReplicasWithProbesAServiceAndTheirRbac() throws Exception {
    List<HasMetadata> objects = objects();
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactly(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRole",
            "ClusterRoleBinding",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "ClusterRole",
            "Namespace",
            "RoleBinding",
            "Namespace",
            "RoleBinding",
            "Deployment",
            "Service");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("intentbot");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("serve");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(objects.stream().filter(ClusterRoleBinding.class::isInstance))
        .map(o -> ((ClusterRoleBinding) o).getSubjects().get(0).getName())
        .containsOnly("intentbot");
    Service service = only(objects, Service.class);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theServiceAccountMayHoldTheLeaderLeaseInItsNamespace() throws Exception {
    List<HasMetadata> objects = objects();
    ServiceAccount account = only(objects, ServiceAccount.class);
    Role role = only(objects, Role.class);
    RoleBinding binding =
        objects.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> b.getMetadata().getName().equals("intentbot-leader-election"))
            .findFirst()
            .orElseThrow();
    assertThat(role.getMetadata().getNamespace()).isEqualTo(account.getMetadata().getNamespace());
    assertThat(role.getRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
              assertThat(rule.getResources()).containsExactly("leases");
              assertThat(rule.getVerbs()).contains("get", "create", "update");
            });
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(role.getMetadata().getNamespace());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .anySatisfy(
            subject -> {
              assertThat(subject.getKind()).isEqualTo("ServiceAccount");
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
  }

  @Test
  void eachReplicaKnowsItsPodNameAndNamespaceForTheElection() throws Exception {
    Deployment deployment = only(objects(), Deployment.class);
    Map<String, EnvVar> env =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
    assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
    assertThat(env.get("INTENTBOT_LEADER_ELECTION").getValue()).isEqualTo("kubernetes");
  }

  @Test
  void theImageShipsHelmWithItsHomesWhereTheReadOnlyPodMayWrite() throws Exception {
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
    assertThat(dockerfile)
        .containsPattern("(?m)^FROM alpine/helm:\\d+\\.\\d+\\.\\d+ AS helm$")
        .contains("COPY --from=helm /usr/bin/helm /usr/local/bin/helm")
        .as("sql.dump's pg_dump")
        .containsPattern("apt-get install -y --no-install-recommends postgresql-client");
    var container =
        only(objects(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    List<String> writable =
        container.getVolumeMounts().stream().map(m -> m.getMountPath()).toList();
    for (String home :
        List.of("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME", "KUBECACHEDIR")) {
      var matcher = java.util.regex.Pattern.compile(home + "=(\\S+)").matcher(dockerfile);
      assertThat(matcher.find()).as(home + " is set in the image").isTrue();
      String dir = matcher.group(1);
      assertThat(writable).as(home + "=" + dir).anyMatch(mount -> dir.startsWith(mount + "/"));
    }
  }
}
