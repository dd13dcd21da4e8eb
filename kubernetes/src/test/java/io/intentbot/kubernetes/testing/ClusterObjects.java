package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builders for the objects tests put into the mock cluster, as the API server and its controllers
 * would hold them: Deployments and the ReplicaSets of their revisions (labelled {@code
 * app=<name>}), Deployment status, pods with container states. Shared by the kubernetes module's
 * tests and the bot's catalogue tests (through this module's test-jar).
 */
public final class ClusterObjects {

  /** The annotation with which the Deployment controller numbers revisions; history reads it. */
  public static final String REVISION = "deployment.kubernetes.io/revision";

  private ClusterObjects() {}

  /** A container of {@code image} named {@code name}. */
  public static Container container(String name, String image) {
    return new ContainerBuilder().withName(name).withImage(image).build();
  }

  /** The kubernetes tests' pod template: the app's container (port 8080) and an envoy proxy. */
  public static List<Container> appAndProxy(String name, String image) {
    return List.of(
        new ContainerBuilder()
            .withName(name)
            .withImage(image)
            .addNewPort()
            .withContainerPort(8080)
            .endPort()
            .build(),
        container("proxy", "envoy:1.30"));
  }

  /** The shop's deployment {@code name} in {@link MockCluster#NAMESPACE}, app and proxy. */
  public static Deployment deployment(String name, String image, int replicas) {
    return deployment(MockCluster.NAMESPACE, name, replicas, appAndProxy(name, image));
  }

  /** A Deployment selecting and labelling its pods {@code app=<name>}, without status. */
  public static Deployment deployment(
      String namespace, String name, int replicas, List<Container> containers) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withContainers(containers)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A ReplicaSet of the shop's deployment at a revision, named {@code <deployment>-rev<N>}. */
  public static ReplicaSet replicaSet(Deployment owner, long revision, String image) {
    String name = owner.getMetadata().getName();
    return replicaSet(owner, name + "-rev" + revision, revision, appAndProxy(name, image));
  }

  /**
   * A ReplicaSet owned by the deployment, at a revision, as the Deployment controller would create
   * it: the {@link #REVISION} annotation, scaled to 0, pods labelled with a pod-template-hash.
   */
  public static ReplicaSet replicaSet(
      Deployment owner, String name, long revision, List<Container> containers) {
    String app = owner.getMetadata().getName();
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .addToAnnotations(REVISION, String.valueOf(revision))
        .addToLabels("app", app)
        .addToLabels("pod-template-hash", "h" + revision)
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(app)
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .addToMatchLabels("app", app)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", app)
        .addToLabels("pod-template-hash", "h" + revision)
        .endMetadata()
        .withNewSpec()
        .withContainers(containers)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A Deployment's status as the controller reports it for {@code generation}. */
  public static DeploymentStatus deploymentStatus(
      long generation, int replicas, int updated, int ready, int available) {
    return new DeploymentStatusBuilder()
        .withObservedGeneration(generation)
        .withReplicas(replicas)
        .withUpdatedReplicas(updated)
        .withReadyReplicas(ready)
        .withAvailableReplicas(available)
        .build();
  }

  /** A running pod of {@code app} named {@code name}: one container named after the app. */
  public static PodBuilder runningPod(String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(app)
        .withImage(app + ":1")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus();
  }

  /** A container's status; add its state with {@link #waiting} or {@link #terminated}. */
  public static ContainerStatusBuilder containerStatus(String name, boolean ready, int restarts) {
    return new ContainerStatusBuilder().withName(name).withReady(ready).withRestartCount(restarts);
  }

  /** Waiting, e.g. for CrashLoopBackOff or ImagePullBackOff. */
  public static ContainerState waiting(String reason) {
    return new ContainerStateBuilder().withNewWaiting().withReason(reason).endWaiting().build();
  }

  /** Terminated, e.g. OOMKilled with exit code 137. */
  public static ContainerState terminated(String reason, int exitCode) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withReason(reason)
        .withExitCode(exitCode)
        .endTerminated()
        .build();
  }

  /** A StorageClass whose volumes can grow if {@code expandable}. */
  public static StorageClass storageClass(String name, String provisioner, boolean expandable) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withProvisioner(provisioner)
        .withAllowVolumeExpansion(expandable)
        .build();
  }

  /** An edit that sets a custom resource's status, for {@code editStatus}. */
  public static UnaryOperator<GenericKubernetesResource> withStatus(Map<String, Object> status) {
    return r -> {
      r.setAdditionalProperty("status", status);
      return r;
    };
  }
}
