package io.intentbot.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.intentbot.engine.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
  void onlyTheMutatingRoleTouchesSecretsForHelmsReleases() throws Exception {
    assertThat(role("intentbot-read").getRules())
        .noneMatch(rule -> rule.getResources().contains("secrets"));
    assertThat(role("intentbot-mutate").getRules())
        .filteredOn(rule -> rule.getResources().contains("secrets"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.getResources()).containsExactly("secrets"));
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
