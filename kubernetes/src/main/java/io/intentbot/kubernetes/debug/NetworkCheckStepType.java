package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.Pod;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Names;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kubernetes.network-check}: checks DNS names, TCP ports and HTTP URLs from inside the
 * cluster, with the latency of each check, using busybox's {@code nslookup}, {@code nc} and {@code
 * wget}. Commands are argument lists; targets never reach a shell. Where they run ({@code method}):
 *
 * <ul>
 *   <li>{@code auto} (the default with {@code pod} or {@code selector}): in an ephemeral debug
 *       container ({@code image}, default {@code busybox:1.36}) added to the pod as {@code kubectl
 *       debug} adds one, so the checks see the pod's network even when its image has no tools (a
 *       distroless image); where that cannot be used (the identity may not patch {@code
 *       pods/ephemeralcontainers}, the cluster does not serve it, the image cannot be pulled, it
 *       does not start within {@code start_timeout}) with exec in the pod's container instead;
 *   <li>{@code ephemeral}: the ephemeral container or nothing (the step fails saying why);
 *   <li>{@code exec}: exec in the pod's container ({@code container}, default the pod's default
 *       container); its image must have the tools;
 *   <li>{@code pod} (the default without {@code pod} and {@code selector}): a short-lived debug pod
 *       of its own, always deleted afterwards (a pod with other labels, so network policies may
 *       treat it differently from the app).
 * </ul>
 *
 * <pre>{@code
 * with:
 *   targets:
 *     - { dns: db.shop-staging.svc.cluster.local }
 *     - { tcp: "db.shop-staging:5432" }
 *     - { http: "http://web.shop-staging/healthz", expect_status: 200 }
 *   selector: { app: web }        # or pod: web-7d9f; neither: a debug pod
 *   method: auto                  # ephemeral, exec or pod
 *   timeout: 5s                   # per target
 * }</pre>
 *
 * The step writes which method ran and why before its checks. Latency is measured around the exec
 * call, so it includes the exec round trip. Outputs: {@code results} (each {@code target, kind, ok,
 * ran, latency_ms, detail}; {@code ran} is false when the command could not start), {@code ok},
 * {@code failed}, {@code not_run}, {@code pod}, {@code method} and {@code method_reason}. The step
 * fails when any target fails or could not be checked.
 */
public final class NetworkCheckStepType extends PollingStepType<NetworkCheckStepType.Input> {

  public static final String NAME = "kubernetes.network-check";

  /**
   * The {@code with:} block: each target a mapping with {@code dns}, {@code tcp} or {@code http};
   * {@code method} {@code auto}, {@code ephemeral}, {@code exec} or {@code pod}.
   */
  public record Input(
      String namespace,
      List<Object> targets,
      String pod,
      Object selector,
      String container,
      String image,
      String method,
      Duration timeout,
      Duration startTimeout,
      Duration pollInterval)
      implements Namespaced {
    public Input {
      targets = Inputs.list(targets);
    }
  }

  private static final String AUTO = "auto";
  private static final String EXEC_ASKED = "method: exec was asked for";

  public NetworkCheckStepType(ClusterAccess access) {
    super(NAME, "Check DNS, TCP and HTTP targets from inside the cluster", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(
        Set.of("results", "ok", "failed", "not_run", "pod", "method", "method_reason"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    List<String> details = new ArrayList<>();
    for (NetworkTarget target : targets(input)) {
      details.add(
          target.kind()
              + " "
              + target.value()
              + "  $ "
              + String.join(" ", target.command(timeout(input))));
    }
    String method = method(input);
    String pod =
        Optional.ofNullable(input.pod())
            .map(cluster::ref)
            .orElse("a pod matching " + PodExec.selector(input.selector()));
    String where =
        switch (method) {
          case CheckMethod.POD ->
              "from a debug pod "
                  + cluster.ref(Names.forStep("netcheck", context))
                  + " ("
                  + image(input)
                  + "), deleted afterwards";
          case CheckMethod.EXEC ->
              "from " + pod + " with exec in " + containerWords(input) + " (its own image)";
          default ->
              "from an ephemeral debug container "
                  + Names.forStep("netcheck", context)
                  + " ("
                  + image(input)
                  + ") added to "
                  + pod
                  + " (kubectl debug's way; it stays listed in the pod, ended, until the pod is"
                  + " replaced)"
                  + (method.equals(AUTO)
                      ? ", else with exec in "
                          + containerWords(input)
                          + " where that is not allowed"
                      : "");
        };
    return StepPlan.of("Check " + details.size() + " network targets " + where, details);
  }

  private static String containerWords(Input input) {
    return input.container() == null
        ? "its default container"
        : "its container " + input.container();
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    List<NetworkTarget> targets = targets(input);
    String method = method(input);
    if (method.equals(CheckMethod.POD)) {
      return inDebugPod(input, context, cluster, poll, targets);
    }
    return poll.call(() -> choose(input, cluster))
        .thenCompose(chosen -> how(input, context, cluster, poll, targets, method, chosen))
        .thenCompose(how -> poll.call(() -> check(input, context, cluster, targets, how)));
  }

  /** The pod chosen and its container to exec in: {@code container}, else the default one. */
  private record Chosen(String pod, String container) {}

  private static Chosen choose(Input input, Cluster cluster) {
    String pod = PodExec.choosePod(cluster, input.pod(), PodExec.selector(input.selector()));
    if (input.container() != null) {
      return new Chosen(pod, input.container());
    }
    Pod live =
        cluster.call(
            "read pod " + cluster.ref(pod),
            c -> c.pods().inNamespace(cluster.namespace()).withName(pod).get());
    if (live == null) {
      throw new ClusterAccessException("pod " + cluster.ref(pod) + " does not exist");
    }
    return new Chosen(pod, defaultContainer(live));
  }

  /** kubectl's: the {@code kubectl.kubernetes.io/default-container} annotation, else the first. */
  private static String defaultContainer(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String named =
        annotations == null ? null : annotations.get("kubectl.kubernetes.io/default-container");
    if (named != null) {
      return named;
    }
    var containers = pod.getSpec().getContainers();
    if (containers == null || containers.isEmpty()) {
      throw new ClusterAccessException(
          "pod " + pod.getMetadata().getName() + " has no containers to exec in");
    }
    return containers.get(0).getName();
  }

  private static CompletableFuture<CheckMethod> how(
      Input input,
      StepContext context,
      Cluster cluster,
      AsyncPoll poll,
      List<NetworkTarget> targets,
      String method,
      Chosen chosen) {
    String pod = cluster.ref(chosen.pod());
    if (method.equals(CheckMethod.EXEC)) {
      return CompletableFuture.completedFuture(
          new CheckMethod(CheckMethod.EXEC, pod, chosen.container(), null, EXEC_ASKED));
    }
    Duration startTimeout = startTimeout(input);
    Duration lifetime =
        startTimeout
            .plus(timeout(input).plusSeconds(5).multipliedBy(targets.size()))
            .plusSeconds(60);
    var container =
        EphemeralDebugContainer.container(
            Names.forStep("netcheck", context), image(input), lifetime);
    return EphemeralDebugContainer.start(
            cluster, chosen.pod(), container, polling(input), poll, context.output())
        .thenApply(
            outcome -> {
              if (outcome instanceof EphemeralDebugContainer.Outcome.Running running) {
                return new CheckMethod(
                    CheckMethod.EPHEMERAL,
                    pod,
                    running.container(),
                    image(input),
                    "it ends on its own within "
                        + Durations.format(lifetime)
                        + " and stays listed in the pod until the pod is replaced");
              }
              var unavailable = (EphemeralDebugContainer.Outcome.Unavailable) outcome;
              String stays =
                  unavailable.added()
                      ? " (it stays listed in the pod until the pod is replaced)"
                      : "";
              if (method.equals(CheckMethod.EPHEMERAL)) {
                throw new ClusterAccessException(
                    "no ephemeral debug container in pod "
                        + pod
                        + ": "
                        + unavailable.reason()
                        + stays
                        + "; method: auto would fall back to exec in the pod's container");
              }
              return new CheckMethod(
                  CheckMethod.EXEC,
                  pod,
                  chosen.container(),
                  null,
                  "no ephemeral debug container: " + unavailable.reason() + stays);
            });
  }

  private CompletableFuture<StepResult> inDebugPod(
      Input input,
      StepContext context,
      Cluster cluster,
      AsyncPoll poll,
      List<NetworkTarget> targets) {
    String pod = Names.forStep("netcheck", context);
    CheckMethod how =
        new CheckMethod(
            CheckMethod.POD,
            cluster.ref(pod),
            "check",
            image(input),
            input.method() == null
                ? "no pod or selector was given, so the checks run in a pod of their own"
                : "method: pod was asked for");
    CompletableFuture<StepResult> checked =
        poll.call(
                () -> {
                  NetworkDebugPod.create(context, cluster, pod, image(input));
                  return pod;
                })
            .thenCompose(
                created -> NetworkDebugPod.awaitRunning(cluster, pod, polling(input), poll))
            .thenCompose(running -> poll.call(() -> check(input, context, cluster, targets, how)));
    return poll.ensure(checked, () -> NetworkDebugPod.delete(context, cluster, pod));
  }

  private static StepResult check(
      Input input,
      StepContext context,
      Cluster cluster,
      List<NetworkTarget> targets,
      CheckMethod how)
      throws InterruptedException {
    context.output().line(how.line());
    String pod = how.pod().substring(how.pod().indexOf('/') + 1);
    List<Map<String, Object>> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> notRun = new ArrayList<>();
    String firstNotRun = null;
    for (NetworkTarget target : targets) {
      PodExec.Result run =
          PodExec.run(
              cluster,
              pod,
              how.container(),
              target.command(timeout(input)),
              timeout(input).plusSeconds(2),
              16384);
      Map<String, Object> result = target.judge(run);
      results.add(result);
      boolean ran = Boolean.TRUE.equals(result.get("ran"));
      boolean ok = Boolean.TRUE.equals(result.get("ok"));
      context
          .output()
          .line(
              (ok ? "ok    " : ran ? "FAIL  " : "ERROR ")
                  + target.kind()
                  + " "
                  + target.value()
                  + "  "
                  + result.get("latency_ms")
                  + "ms  "
                  + result.get("detail"));
      if (!ran) {
        notRun.add(target.kind() + " " + target.value());
        firstNotRun = firstNotRun == null ? String.valueOf(result.get("detail")) : firstNotRun;
      } else if (!ok) {
        failed.add(target.kind() + " " + target.value());
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pod", pod);
    outputs.put("method", how.name());
    outputs.put("method_reason", how.reason());
    outputs.put("results", results);
    outputs.put("ok", results.size() - failed.size() - notRun.size());
    outputs.put("failed", failed.size());
    outputs.put("not_run", notRun.size());
    List<String> problems = new ArrayList<>();
    if (!notRun.isEmpty()) {
      problems.add(
          notRun.size()
              + " of "
              + targets.size()
              + " checks could not run in container "
              + how.container()
              + " of pod "
              + how.pod()
              + " ("
              + firstNotRun
              + ")"
              + (how.name().equals(CheckMethod.EXEC)
                  ? "; " + how.reason() + "; " + instead(how)
                  : ""));
    }
    if (!failed.isEmpty()) {
      problems.add("network checks failed: " + String.join(", ", failed));
    }
    return problems.isEmpty()
        ? StepResult.succeeded(outputs)
        : StepResult.failed(String.join("; ", problems), outputs);
  }

  private static String image(Input input) {
    return Inputs.or(input.image(), "busybox:1.36");
  }

  private static Duration timeout(Input input) {
    return Inputs.or(input.timeout(), Duration.ofSeconds(5));
  }

  /** Where the checks could run instead of a container whose image lacks the tools. */
  private static String instead(CheckMethod how) {
    return how.reason().equals(EXEC_ASKED)
        ? "method: auto checks from an ephemeral debug container, method: pod from a debug pod of"
            + " its own"
        : "method: pod checks from a debug pod of its own instead";
  }

  private static Polling polling(Input input) {
    return new Polling(startTimeout(input), Inputs.or(input.pollInterval(), Duration.ofSeconds(1)));
  }

  private static Duration startTimeout(Input input) {
    return Inputs.or(input.startTimeout(), Duration.ofSeconds(60));
  }

  private static List<NetworkTarget> targets(Input input) {
    return NetworkTarget.of(input.targets());
  }

  /**
   * {@code with.method}, checked; absent: {@code auto} with a pod or selector, else {@code pod}.
   */
  private static String method(Input input) {
    boolean inPod = input.pod() != null || input.selector() != null;
    if (input.method() == null) {
      return inPod ? AUTO : CheckMethod.POD;
    }
    String method = input.method().trim().toLowerCase(java.util.Locale.ROOT);
    if (!Set.of(AUTO, CheckMethod.EPHEMERAL, CheckMethod.EXEC, CheckMethod.POD).contains(method)) {
      throw new IllegalArgumentException(
          "method '" + input.method() + "' must be auto, ephemeral, exec or pod");
    }
    if (!inPod && !method.equals(CheckMethod.POD)) {
      throw new IllegalArgumentException(
          "method " + method + " runs in an existing pod: give pod or selector (or method: pod)");
    }
    return method;
  }
}
