package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * Velero's custom resources (velero.io/v1) as the tests write them, the kinds defined here apart
 * from the main code's so a wrong group or plural there is not hidden.
 */
public final class VeleroObjects {

  public static final ResourceDefinitionContext BACKUPS = kind("Backup", "backups");
  public static final ResourceDefinitionContext RESTORES = kind("Restore", "restores");
  public static final ResourceDefinitionContext STORAGE_LOCATIONS =
      kind("BackupStorageLocation", "backupstoragelocations");
  public static final ResourceDefinitionContext DOWNLOAD_REQUESTS =
      kind("DownloadRequest", "downloadrequests");

  private VeleroObjects() {}

  private static ResourceDefinitionContext kind(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("velero.io")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** A BackupStorageLocation of provider aws, without status (Velero sets its phase). */
  public static GenericKubernetesResource storageLocation(String veleroNamespace, String name) {
    GenericKubernetesResource location =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("velero.io/v1")
            .withKind("BackupStorageLocation")
            .withNewMetadata()
            .withName(name)
            .withNamespace(veleroNamespace)
            .endMetadata()
            .build();
    location.setAdditionalProperty("spec", Map.of("provider", "aws"));
    return location;
  }

  /** A BackupStorageLocation Velero uses when a backup names none ({@code spec.default: true}). */
  public static GenericKubernetesResource defaultStorageLocation(
      String veleroNamespace, String name) {
    GenericKubernetesResource location = storageLocation(veleroNamespace, name);
    location.setAdditionalProperty("spec", Map.of("provider", "aws", "default", true));
    return location;
  }

  /**
   * A Backup of one namespace in storage location default, without status.
   *
   * @param created its creationTimestamp, or null for the API server's
   */
  public static GenericKubernetesResource backup(
      String veleroNamespace,
      String name,
      String includedNamespace,
      Map<String, String> labels,
      String created) {
    GenericKubernetesResource backup =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("velero.io/v1")
            .withKind("Backup")
            .withNewMetadata()
            .withName(name)
            .withNamespace(veleroNamespace)
            .withLabels(labels)
            .withCreationTimestamp(created)
            .endMetadata()
            .build();
    backup.setAdditionalProperty(
        "spec",
        Map.of("includedNamespaces", List.of(includedNamespace), "storageLocation", "default"));
    return backup;
  }
}
