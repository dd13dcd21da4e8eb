package io.intentbot.kubernetes.wiring;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepType;
import io.intentbot.kubernetes.ApiResilience;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.ResilientCalls;
import io.intentbot.kubernetes.apply.ApplyStepType;
import io.intentbot.kubernetes.debug.ExecStepType;
import io.intentbot.kubernetes.debug.LogsStepType;
import io.intentbot.kubernetes.debug.NetworkCheckStepType;
import io.intentbot.kubernetes.debug.PodsStepType;
import io.intentbot.kubernetes.deployment.RestartStepType;
import io.intentbot.kubernetes.deployment.RolloutHistoryStepType;
import io.intentbot.kubernetes.deployment.RolloutStatusStepType;
import io.intentbot.kubernetes.deployment.RolloutUndoStepType;
import io.intentbot.kubernetes.deployment.ScaleStepType;
import io.intentbot.kubernetes.deployment.SetImageStepType;
import io.intentbot.kubernetes.helm.HelmCli;
import io.intentbot.kubernetes.helm.HelmHistoryStepType;
import io.intentbot.kubernetes.helm.HelmRollbackStepType;
import io.intentbot.kubernetes.helm.HelmUpgradeStepType;
import io.intentbot.kubernetes.namespace.NamespaceStepType;
import io.intentbot.kubernetes.network.IngressStepType;
import io.intentbot.kubernetes.storage.PvcStepType;
import io.intentbot.kubernetes.velero.VeleroBackupStepType;
import io.intentbot.kubernetes.velero.VeleroBackupsStepType;
import io.intentbot.kubernetes.velero.VeleroDescribeStepType;
import io.intentbot.kubernetes.velero.VeleroRestoreStepType;
import java.util.List;

/**
 * Every Kubernetes, Velero and Helm step type, ready to register:
 *
 * <pre>{@code
 * KubernetesClients clients = KubernetesClients.fromKubeconfig();   // close it at shutdown
 * StepTypeRegistry registry = StepTypeRegistry.builder()
 *     .registerAll(KubernetesStepTypes.all(config, clients))
 *     .build();
 * }</pre>
 *
 * Config sections read: {@code kubernetes:} (API retry and circuit breaker, see {@link
 * ApiResilience}), {@code velero: { namespace }} and {@code helm: { binary }}. No cluster is
 * contacted until a step runs. Time comes from each step's {@link
 * io.intentbot.engine.step.StepContext#clock()}; steps that wait hold no thread while waiting.
 */
public final class KubernetesStepTypes {

  private KubernetesStepTypes() {}

  public static List<StepType> all(IntentbotConfig config, KubernetesClients clients) {
    ResilientCalls calls = new ResilientCalls(ApiResilience.from(config.section("kubernetes")));
    ClusterAccess access = ClusterAccess.of(clients, calls);
    HelmCli helm = HelmCli.from(config);
    return List.of(
        new SetImageStepType(access),
        new RolloutStatusStepType(access),
        new RolloutHistoryStepType(access),
        new RolloutUndoStepType(access),
        new ScaleStepType(access),
        new RestartStepType(access),
        new ApplyStepType(access),
        new NamespaceStepType(access),
        new PvcStepType(access),
        new IngressStepType(access),
        new ExecStepType(access),
        new LogsStepType(access),
        new PodsStepType(access),
        new NetworkCheckStepType(access),
        new VeleroBackupStepType(access),
        new VeleroBackupsStepType(access),
        new VeleroDescribeStepType(access),
        new VeleroRestoreStepType(access),
        new HelmUpgradeStepType(helm),
        new HelmHistoryStepType(helm),
        new HelmRollbackStepType(helm));
  }
}
