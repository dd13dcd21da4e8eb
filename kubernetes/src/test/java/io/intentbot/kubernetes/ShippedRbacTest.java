package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.intentbot.engine.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped RBAC grants least privilege: a read role, a mutating role, narrow impersonation. */
class ShippedRbacTest {

  private static final Set<String> READ = Set.of("get", "list", "watch");

  private static ClusterRole role(String name) throws Exception {
    return ShippedManifestsTest.objects().stream()
        .filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<PolicyRule> allRules() throws Exception {
    return ShippedManifestsTest.objects().stream()
        .filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast)
        .flatMap(r -> r.getRules().stream())
        .toList();
  }

  @Test
  void theReadRoleOnlyReadsExceptAskingVeleroForLogs() throws Exception {
    for (PolicyRule rule : role("intentbot-read").getRules()) {
      if (rule.getResources().equals(List.of("downloadrequests"))) {
        assertThat(rule.getVerbs()).containsExactly("create", "delete");
      } else {
        assertThat(READ).as("%s", rule.getResources()).containsAll(rule.getVerbs());
      }
    }
  }

  @Test
  void theVeleroStepsMayCreateReadAndDeleteTheirDownloadRequestsAndReadTheLocationsCa()
      throws Exception {
    // velero.describe (pure: run while planning, so the read role) and the explanation of a
    // PartiallyFailed backup or restore create a DownloadRequest, read it until Velero answers,
    // read the BackupStorageLocation's caCert and delete the request
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : role("intentbot-read").getRules()) {
      if (rule.getApiGroups().contains("velero.io")) {
        rule.getResources().forEach(r -> rule.getVerbs().forEach(v -> granted.add(r + ":" + v)));
      }
    }
    assertThat(granted)
        .contains(
            "downloadrequests:create",
            "downloadrequests:get",
            "downloadrequests:delete",
            "backupstoragelocations:get",
            "backups:get",
            "restores:get");
  }

  @Test
  void theStorageLocationsCaSecretMayBeReadInVelerosNamespaceAsConfigHasIt() throws Exception {
    // StorageTrust reads spec.objectStorage.caCertRef's Secret by name in Velero's namespace, as
    // Velero 1.18 does (pkg/cmd/util/cacert: the location's namespace; a caCertRef has none)
    String velero =
        Json.YAML
            .readTree(Files.readString(Path.of("..", "config", "intentbot.yaml")))
            .path("velero")
            .path("namespace")
            .asText("velero");
    List<HasMetadata> objects = ShippedManifestsTest.objects();
    java.util.Map<String, List<PolicyRule>> rules =
        objects.stream()
            .filter(ClusterRole.class::isInstance)
            .map(ClusterRole.class::cast)
            .collect(Collectors.toMap(r -> r.getMetadata().getName(), ClusterRole::getRules));
    List<String> rolesBoundThere =
        objects.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> velero.equals(b.getMetadata().getNamespace()))
            .filter(b -> b.getRoleRef().getKind().equals("ClusterRole"))
            .map(b -> b.getRoleRef().getName())
            .toList();
    assertThat(rolesBoundThere)
        .as("a role bound in %s lets velero.describe read the location's CA Secret", velero)
        .anySatisfy(
            name ->
                assertThat(rules.get(name))
                    .anyMatch(
                        rule ->
                            rule.getApiGroups().contains("")
                                && rule.getResources().contains("secrets")
                                && rule.getVerbs().contains("get")));
    // and nowhere else but in the namespaces of the shipped Helm releases
    assertThat(
            objects.stream()
                .filter(RoleBinding.class::isInstance)
                .map(RoleBinding.class::cast)
                .filter(
                    b ->
                        b.getRoleRef().getKind().equals("ClusterRole")
                            && rules.get(b.getRoleRef().getName()).stream()
                                .anyMatch(rule -> rule.getResources().contains("secrets")))
                .map(b -> b.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("velero", "authentik");
  }

  @Test
  void nothingIsGrantedEverythingAndBindIsLimitedToNamedRoles() throws Exception {
    for (PolicyRule rule : allRules()) {
      assertThat(rule.getVerbs()).doesNotContain("*", "escalate");
      assertThat(rule.getResources()).doesNotContain("*", "clusterrolebindings");
      if (rule.getResources().contains("clusterroles")) {
        assertThat(rule.getVerbs()).containsExactly("bind");
        assertThat(rule.getResourceNames()).containsExactlyInAnyOrder("view", "edit", "admin");
      }
    }
  }

  @Test
  void secretsAreGrantedOnlyInTheNamespacesOfTheShippedHelmReleasesWithTheCallsOfHelmsDriver()
      throws Exception {
    List<HasMetadata> objects = ShippedManifestsTest.objects();
    // no role bound cluster-wide reads a Secret
    Set<String> clusterWide =
        objects.stream()
            .filter(ClusterRoleBinding.class::isInstance)
            .map(o -> ((ClusterRoleBinding) o).getRoleRef().getName())
            .collect(Collectors.toSet());
    assertThat(clusterWide).containsExactlyInAnyOrder("intentbot-read", "intentbot-mutate");
    for (String name : clusterWide) {
      assertThat(role(name).getRules())
          .as(name)
          .noneMatch(rule -> rule.getResources().contains("secrets"));
    }
    // Helm's Secrets driver gets, lists, creates, updates and deletes release Secrets
    assertThat(role("intentbot-helm-releases").getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("");
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getVerbs())
                  .containsExactlyInAnyOrder("get", "list", "create", "update", "delete");
              assertThat(rule.getResourceNames()).isEmpty();
            });
    // bound exactly in the namespaces of update-helm-chart's releases (namespace = chart)
    JsonNode intent =
        Json.YAML.readTree(Files.readString(Path.of("..", "intents", "update-helm-chart.yaml")));
    assertThat(intent.at("/steps/0/with/namespace").asText()).isEqualTo("${{ params.chart }}");
    Set<String> releaseNamespaces = new TreeSet<>();
    intent.at("/parameters/chart/values").forEach(v -> releaseNamespaces.add(v.asText()));
    List<RoleBinding> bindings =
        objects.stream()
            .filter(RoleBinding.class::isInstance)
            .map(RoleBinding.class::cast)
            .filter(b -> b.getRoleRef().getName().equals("intentbot-helm-releases"))
            .toList();
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrderElementsOf(releaseNamespaces);
    for (RoleBinding binding : bindings) {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(
              subject -> {
                assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                assertThat(subject.getName()).isEqualTo("intentbot");
                assertThat(subject.getNamespace()).isEqualTo("intentbot");
              });
    }
    // each binding's namespace is created before it is applied
    Set<String> namespaces =
        objects.stream()
            .filter(Namespace.class::isInstance)
            .map(o -> o.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(namespaces).containsAll(releaseNamespaces);
  }

  @Test
  void ephemeralDebugContainersMayOnlyBeAddedByPatchAsNetworkCheckAddsThem() throws Exception {
    assertThat(role("intentbot-read").getRules())
        .noneMatch(rule -> rule.getResources().contains("pods/ephemeralcontainers"));
    assertThat(allRules())
        .filteredOn(rule -> rule.getResources().contains("pods/ephemeralcontainers"))
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("");
              assertThat(rule.getResources()).containsExactly("pods/ephemeralcontainers");
              assertThat(rule.getVerbs()).containsExactly("patch");
            });
    assertThat(role("intentbot-mutate").getRules())
        .anyMatch(rule -> rule.getResources().equals(List.of("pods/ephemeralcontainers")));
  }

  @Test
  void impersonationCoversExactlyWhoConfigMapsAndNoOneElse() throws Exception {
    JsonNode users =
        Json.YAML
            .readTree(Files.readString(Path.of("..", "config", "intentbot.yaml")))
            .path("users");
    Set<String> mapped = new TreeSet<>();
    users.forEach(
        u -> {
          if (u.hasNonNull("kubernetes_user")) {
            mapped.add("users/" + u.get("kubernetes_user").asText());
          }
          u.path("kubernetes_groups").forEach(g -> mapped.add("groups/" + g.asText()));
        });
    Set<String> granted = new TreeSet<>();
    for (PolicyRule rule : allRules()) {
      if (rule.getVerbs().contains("impersonate")) {
        assertThat(rule.getResourceNames())
            .as("impersonation of %s must name whom (resourceNames)", rule.getResources())
            .isNotEmpty();
        rule.getResources()
            .forEach(r -> rule.getResourceNames().forEach(n -> granted.add(r + "/" + n)));
      }
    }
    assertThat(granted).isEqualTo(mapped);
  }
}
