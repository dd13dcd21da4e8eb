package io.intentbot.kubernetes;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepType;
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
 * contacted until a step runs.
 */
public final class KubernetesStepTypes {

  private KubernetesStepTypes() {}

  public static List<StepType> all(IntentbotConfig config, KubernetesClients clients) {
    ResilientCalls calls = new ResilientCalls(ApiResilience.from(config.section("kubernetes")));
    HelmCli helm = HelmCli.from(config);
    return List.of(
        new SetImageStepType(clients, calls),
        new RolloutStatusStepType(clients, calls),
        new RolloutHistoryStepType(clients, calls),
        new RolloutUndoStepType(clients, calls),
        new ScaleStepType(clients, calls),
        new RestartStepType(clients, calls),
        new ApplyStepType(clients, calls),
        new NamespaceStepType(clients, calls),
        new PvcStepType(clients, calls),
        new IngressStepType(clients, calls),
        new ExecStepType(clients, calls),
        new LogsStepType(clients, calls),
        new PodsStepType(clients, calls),
        new NetworkCheckStepType(clients, calls),
        new VeleroBackupStepType(clients, calls),
        new VeleroBackupsStepType(clients, calls),
        new VeleroDescribeStepType(clients, calls),
        new VeleroRestoreStepType(clients, calls),
        new HelmUpgradeStepType(helm),
        new HelmHistoryStepType(helm),
        new HelmRollbackStepType(helm));
  }
}
